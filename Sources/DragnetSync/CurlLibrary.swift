import CDragnetCurl

/// Facts about the libcurl that this build links against.
public enum CurlLibrary {
    /// The libcurl version string, for example `7.88.1`.
    public static var version: String {
        guard let info = dragnet_curl_version_info() else { return "unknown" }
        return String(cString: info.pointee.version)
    }
}
