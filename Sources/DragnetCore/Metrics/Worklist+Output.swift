import Foundation

extension DueItem.Kind {
    /// How the worklist names the item for an officer.
    public func title(_ language: Language) -> String {
        switch (self, language) {
        case (.arrivalOverdue, .vi): return "Quá hạn trình diện"
        case (.arrivalOverdue, .en): return "Has not reported in"
        case (.contactOverdue, .vi): return "Quá hạn tiếp xúc, kiểm tra"
        case (.contactOverdue, .en): return "Contact overdue"
        case (.whereaboutsUnknown, .vi): return "Vắng mặt, không rõ nơi ở"
        case (.whereaboutsUnknown, .en): return "Whereabouts unknown"
        case (.probationEnding, .vi): return "Sắp hết thời gian thử thách"
        case (.probationEnding, .en): return "Probation ending"
        }
    }
}

extension Worklist {
    /// SPEC §10's JSON: `{"unit": …, "on": …, "items": [{"case", "person", "due", "since", "days"}]}`, keys in that
    /// order.
    public func json() -> String {
        var w = PayloadJSON.Writer()
        w.object([
            .init("unit", .string(unit.rawValue)), .init("on", .string(on.description)),
            .init(
                "items",
                .objects(
                    entries.map { e in
                        [
                            .init("case", .string(e.caseLabel)), .init("person", .string(e.person)),
                            .init("due", .string(e.item.kind.rawValue)),
                            .init("since", .string(e.item.since.description)),
                            .init("days", .raw("\(e.item.days)")),
                        ]
                    })
            ),
        ])
        return String(decoding: w.bytes, as: UTF8.self)
    }

    /// One row per item under the header `case,person,due,since,days,responsible_unit`.
    public func csv() -> String {
        CSVWriter.encode(
            [["case", "person", "due", "since", "days", "responsible_unit"]]
                + entries.map { e in
                    [
                        e.caseLabel, e.person, e.item.kind.rawValue, e.item.since.description, "\(e.item.days)",
                        e.responsibleUnit.rawValue,
                    ]
                })
    }

    /// The worklist as an officer reads it: a header with the unit, the day and the contact intervals, then one line
    /// per item, oldest first.
    public func table(_ language: Language) -> String {
        let vi = language == .vi
        var lines: [String] = []
        lines.append(
            vi
                ? "Danh sách việc cần làm — đơn vị \(unit), ngày \(language.date(on))"
                : "What is due — unit \(unit), on \(language.date(on))")
        lines.append(
            vi
                ? "Thời hạn tiếp xúc: \(intervals.probationDays) ngày (đang thử thách), \(intervals.otherDays) ngày "
                    + "(trường hợp khác)"
                : "Contact intervals: \(intervals.probationDays) days on probation, \(intervals.otherDays) days "
                    + "otherwise")
        if entries.isEmpty {
            lines.append(vi ? "Không có việc nào đến hạn." : "Nothing is due.")
            return lines.joined(separator: "\n")
        }
        var table = TextTable([.left, .left, .left, .left, .right, .left])
        table.add(
            vi
                ? ["Hồ sơ", "Họ tên", "Việc", "Từ ngày", "Số ngày", "Đơn vị quản lý"]
                : ["Case", "Person", "Due", "Since", "Days", "Responsible"])
        for e in entries {
            table.add([
                e.caseLabel, e.person, e.item.kind.title(language), language.date(e.item.since),
                language.number(e.item.days), e.responsibleUnit.rawValue,
            ])
        }
        lines.append("")
        lines.append(table.render())
        lines.append(vi ? "Tổng cộng: \(entries.count) việc" : "\(entries.count) item(s)")
        return lines.joined(separator: "\n")
    }
}
