import DragnetCore
import Foundation

/// The words the synthetic data is made of: Vietnamese names, Criminal Code offences, decision numbers, prisons.
/// Every text is NFC. Frequencies are rough shares from public sources, good enough to look like a real register.
enum SyntheticVocabulary {
    /// Family names (họ) with their rough shares (%); the first of a pair is the northern spelling, the second the
    /// southern one (Hoàng/Huỳnh, Vũ/Võ).
    static let familyNames: [(north: String, south: String, weight: Double)] = [
        ("Nguyễn", "Nguyễn", 38), ("Trần", "Trần", 11), ("Lê", "Lê", 9.5), ("Phạm", "Phạm", 7),
        ("Hoàng", "Huỳnh", 5.1), ("Phan", "Phan", 4.5), ("Vũ", "Võ", 3.9), ("Đặng", "Đặng", 2.1),
        ("Bùi", "Bùi", 2), ("Đỗ", "Đỗ", 1.4), ("Hồ", "Hồ", 1.3), ("Ngô", "Ngô", 1.3), ("Dương", "Dương", 1),
        ("Lý", "Lý", 0.5), ("Đinh", "Đinh", 0.8), ("Trương", "Trương", 0.8), ("Lâm", "Lâm", 0.5), ("Mai", "Mai", 0.5),
        ("Cao", "Cao", 0.4), ("Đoàn", "Đoàn", 0.5), ("Trịnh", "Trịnh", 0.4), ("Lương", "Lương", 0.4), ("Tạ", "Tạ", 0.2),
        ("Hà", "Hà", 0.4), ("Châu", "Châu", 0.2), ("Tô", "Tô", 0.2), ("La", "La", 0.1), ("Thái", "Thái", 0.2),
    ].map { (nfc($0.0), nfc($0.1), $0.2) }

    /// Middle names (tên đệm) of men, Văn the most common.
    static let maleMiddle = WeightedTable(
        [
            ("Văn", 40.0), ("Hữu", 6), ("Đức", 6), ("Minh", 7), ("Quốc", 5), ("Công", 4), ("Thành", 4), ("Hoàng", 3),
            ("Xuân", 3), ("Ngọc", 3), ("Thanh", 4), ("Tấn", 3), ("Quang", 3), ("Duy", 2), ("Trọng", 2), ("Đình", 3),
            ("Bá", 1), ("Anh", 2),
        ].map { (nfc($0.0), $0.1) })

    /// Middle names of women, Thị the most common.
    static let femaleMiddle = WeightedTable(
        [
            ("Thị", 55.0), ("Ngọc", 6), ("Thanh", 5), ("Thu", 4), ("Kim", 4), ("Minh", 3), ("Hồng", 4), ("Bích", 3),
            ("Mỹ", 3), ("Thùy", 3), ("Diệu", 2), ("Phương", 3), ("Hoài", 2), ("Khánh", 2),
        ].map { (nfc($0.0), $0.1) })

    /// Given names (tên) of men.
    static let maleGiven = [
        "Hùng", "Dũng", "Tuấn", "Minh", "Hải", "Nam", "Long", "Sơn", "Thắng", "Cường", "Đức", "Phúc", "Bảo", "Khải",
        "Trí", "Hiếu", "Sang", "Tài", "Lộc", "Phong", "Quân", "Huy", "Khoa", "Thịnh", "Toàn", "Vinh", "Hưng", "Kiên",
        "Tâm", "Trung", "Hào", "Nghĩa", "Thành", "Tú", "Hoàng", "Lâm", "Tiến", "Đạt", "Quang", "Vũ", "Khánh", "Nhân",
        "Tín", "Lực", "Mạnh", "Hậu", "Dương", "Phát", "Bình", "Chiến", "Công", "Danh", "Hiệp", "Luân", "Thông", "Tùng",
    ].map(nfc)

    /// Given names of women.
    static let femaleGiven = [
        "Lan", "Hương", "Mai", "Hoa", "Linh", "Trang", "Thảo", "Ngọc", "Hằng", "Nhung", "Vy", "Yến", "Hạnh", "Loan",
        "Nga", "Oanh", "Phượng", "Quyên", "Tuyết", "Vân", "Xuân", "Ánh", "Diễm", "Giang", "Hiền", "Huyền", "Kiều",
        "Liên", "My", "Nhi", "Thúy", "Trinh", "Uyên", "Duyên", "Hồng", "Thư", "Châu", "Hà",
    ].map(nfc)

    /// Nicknames a wanted person is known by ("Phạm Văn Hùng, tức Hùng Sẹo").
    static let nicknames = ["Sẹo", "Đen", "Còi", "Lùn", "Mập", "Trắng", "Điên", "Khùng", "Lì", "Cận", "Xăm", "Thọt"]
        .map(nfc)

    /// Offences, each with its article in the 2015 Criminal Code (in force from 2018) and in the 1999 one, its rough
    /// share among wanted persons, and how grave it is (0 property and minor, 1 violent or trafficking, 2 murder).
    static let offenses = WeightedTable<Offense>(
        [
            (Offense(2015, 173, 1999, 138, 0), 24.0), (Offense(2015, 251, 1999, 194, 1), 14),
            (Offense(2015, 249, 1999, 194, 0), 6), (Offense(2015, 250, 1999, 194, 1), 3),
            (Offense(2015, 174, 1999, 139, 0), 12), (Offense(2015, 175, 1999, 140, 0), 5),
            (Offense(2015, 134, 1999, 104, 0), 10), (Offense(2015, 168, 1999, 133, 1), 5),
            (Offense(2015, 171, 1999, 136, 0), 4), (Offense(2015, 170, 1999, 135, 0), 2),
            (Offense(2015, 123, 1999, 93, 2), 3), (Offense(2015, 141, 1999, 111, 1), 1.5),
            (Offense(2015, 321, 1999, 248, 0), 3), (Offense(2015, 322, 1999, 249, 0), 1.5),
            (Offense(2015, 318, 1999, 245, 0), 2), (Offense(2015, 260, 1999, 202, 0), 1.5),
            (Offense(2015, 304, 1999, 230, 1), 1), (Offense(2015, 353, 1999, 278, 0), 1),
            (Offense(2015, 201, 1999, 163, 0), 1.5), (Offense(2015, 348, 1999, 275, 0), 0.5),
            (Offense(2015, 150, 1999, 119, 1), 0.5),
        ])

    /// One offence of the table above.
    struct Offense: Sendable {
        /// "Điều 173 BLHS 2015".
        let current: String
        /// "Điều 138 BLHS 1999", cited for acts judged before the 2015 Code came into force on 2018-01-01.
        let former: String
        /// 0 property and minor, 1 violent or trafficking, 2 murder.
        let gravity: Int

        init(_ code: Int, _ article: Int, _ oldCode: Int, _ oldArticle: Int, _ gravity: Int) {
            current = nfc("Điều \(article) BLHS \(code)")
            former = nfc("Điều \(oldArticle) BLHS \(oldCode)")
            self.gravity = gravity
        }

        /// The article to cite for an act judged on `date`.
        func cited(on date: LocalDate) -> String { date < codeOf2015InForce ? former : current }
    }

    /// The day the 2015 Criminal Code came into force.
    static let codeOf2015InForce = LocalDate(dayNumber: 17_532)  // 2018-01-01

    /// The bodies that issue wanted decisions, as they sign the number ("123/QĐ-CSHS"), with rough shares.
    static let decisionBodies = WeightedTable(
        [("QĐ-CSHS", 45.0), ("QĐ-CSĐT", 35), ("QĐ-ANĐT", 5), ("QĐ-THAHS", 10), ("QĐ-VPCQCSĐT", 5)]
            .map { (nfc($0.0), $0.1) })

    /// Prisons (trại giam) with the region they are in: 0 north, 1 centre and highlands, 2 south.
    static let facilities: [(name: String, region: Int)] = [
        ("Thanh Xuân", 0), ("Ba Sao", 0), ("Nam Hà", 0), ("Hoàng Tiến", 0), ("Xuân Nguyên", 0), ("Phú Sơn 4", 0),
        ("Tân Lập", 0), ("Ngọc Lý", 0), ("Vĩnh Quang", 0), ("Quảng Ninh", 0), ("Số 5", 1), ("Bình Điền", 1),
        ("An Điềm", 1), ("Xuân Phước", 1), ("Đắk Trung", 1), ("Gia Trung", 1), ("Xuân Lộc", 2), ("Thủ Đức", 2),
        ("An Phước", 2), ("Phước Hòa", 2), ("Cái Tàu", 2), ("Kênh 5", 2), ("Thạnh Hòa", 2), ("Châu Bình", 2),
        ("Định Thành", 2), ("Z30D", 2),
    ].map { (nfc("Trại giam " + $0.0), $0.1) }

    /// `text` in Unicode NFC, whatever form this source file was saved in.
    static func nfc(_ text: String) -> String { text.precomposedStringWithCanonicalMapping }
}
