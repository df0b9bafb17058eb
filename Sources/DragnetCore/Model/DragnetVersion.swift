/// The version of this build of Dragnet, shown by `dragnet --version`, the central endpoint's health route and the
/// sync client's User-Agent.
public enum DragnetVersion {
    /// `MAJOR.MINOR.PATCH`.
    public static let string = "0.1.0"
}
