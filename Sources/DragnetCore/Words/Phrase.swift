/// Every label and sentence people read on the dashboard and in `dragnet metrics --lang vi`, in Vietnamese as a
/// police report writes it and in English. One case per phrase, both languages side by side, so that a phrase cannot
/// exist in one language only (a test checks that every phrase has both, and that they differ).
public enum Phrase: String, Sendable, CaseIterable {
    // The product and the page
    case dashboardTitle, signIn, signInLead, tokenLabel, signInButton, signOut, badToken, sessionEnded
    case wholeCountry, unitLabel, scopeLabel, periodLabel, periodFromTo, asKnownNow, asKnownAt, periodInProgress
    case languageSwitch, showPeriod, yearLabel, quarterLabel, monthLabel, fromLabel, toLabel, asOfLabel
    case forbiddenMessage, backToDashboard, upOneLevel, errorTitle, forbiddenTitle, badRequestTitle,
        notFoundTitle
    // The three figures
    case existingCapture, newCapture, reoffendingRate, existingShort, newShort, reoffendingShort
    case target, targetAtLeast, targetBelow, met, notMet, noRate, sameTimeLastYear, capturedOf, reoffendedOf
    case count, captured, arrested, surrendered, died, struckOff, open, population, reoffended, rate, result
    case byType, amnesty, earlyRelease, sentenceCompleted, allReleased
    // Charts and tables
    case progressTitle, progressDesc, monthColumn, thisYear, lastYear, targetLine
    case unitsTitle, unitsDesc, unitColumn, rankedBy, ownCases
    case cohortTitle, cohortDesc, daysSinceRelease, shareReoffended, horizonYears, cohortSize
    case curveDay, atRisk, lowerBound, upperBound, notObservedYet
    case downloadCSV, tableOfChart, cohortCurveCSV, cohortSharesCSV
    // The lists behind the numbers
    case listExisting, listNew, listReleased, outcomeLabel, outcomeAll, outcomeCaptured, outcomeOpen
    case outcomeReoffended, outcomeNotReoffended, caseColumn, nameColumn, birthColumn, openedColumn, closingColumn
    case closingDateColumn, releasedColumn, typeColumn, endingColumn, endingDateColumn, responsibleColumn
    case shownRange, previousPage, nextPage, noCases
    // Who is counted: the sentence under each chart (also in docs/figures.md, word for word)
    case whoExisting, whoNew, whoReoffending, whoProgress, whoUnits, whoCohort
    // The terminal table of `dragnet metrics`
    case tablePlanFigures, tableWanted, tableReleased, tableByUnit, tableNoUnit, tableOtherTargets
    case tableExistingRow, tableNewRow, tableAllRow, tableExisting, tableNew, tableReleasedCount
    case tableKnownNow, tableKnownAt, tableInProgress, tableOpen, tableMet, tableNotMet, tableOwnCases
    case unitsTitleNational, wholeCountryInSentence, badParameter, reasonUnknownParameter, reasonRepeated,
        reasonLanguage
    case reasonUnit, reasonPeriod, reasonSeveralPeriods, reasonPeriodTooLong, reasonAsOf, reasonAsOfFuture, reasonList
    case reasonOutcome, reasonPage, tooLarge, otherSite, periodHint
    case tableOwnTargetLine, tableAmnesty, tableEarlyRelease, tableSentenceCompleted
    case endingReoffended, endingRevoked, endingDied, endingExpunged
    // Supervision of released persons (SPEC §10): the dashboard's panel and the terminal table
    case supervisionTitle, supervisionOn, supervisionSupervised, supervisionReportedIn, supervisionContactsOnTime
    case supervisionArrivalOverdue, supervisionWhereaboutsUnknown, supervisionWantedOpen, persons, share
    case dueTitle, dueLink, dueLead, dueNone, dueShown, dueDays, dueSince, dueKind, reasonDay
    case whoSupervision, tableSupervision, tableSupervisionByUnit, tableSupervised, tableOnTime, tableOverdue
    case tableMissing, tableWantedOpen

    /// The phrase in `language`. `{…}` marks a value the caller puts in (`Phrase.fill`).
    public func text(_ language: Language) -> String {
        let (vi, en) = pair
        return language == .vi ? vi : en
    }

    /// The phrase with its `{name}` slots filled.
    public func text(_ language: Language, _ values: [String: String]) -> String {
        var out = text(language)
        for (name, value) in values { out = out.replacingOccurrences(of: "{\(name)}", with: value) }
        return out
    }

    // swift-format-ignore
    private var pair: (String, String) {
        switch self {
        case .dashboardTitle: ("Kết quả thực hiện chỉ tiêu phòng, chống tội phạm", "Crime-prevention plan: figures against targets")
        case .signIn: ("Đăng nhập", "Sign in")
        case .signInLead: ("Nhập mã truy cập do quản trị hệ thống cấp để xem số liệu của đơn vị.", "Enter the access token you were given to see your unit's figures.")
        case .tokenLabel: ("Mã truy cập", "Access token")
        case .signInButton: ("Đăng nhập", "Sign in")
        case .signOut: ("Đăng xuất", "Sign out")
        case .badToken: ("Mã truy cập không đúng hoặc đã bị thu hồi. Đề nghị kiểm tra lại hoặc liên hệ quản trị hệ thống.", "This access token is wrong or has been revoked. Check it, or ask for a new one.")
        case .sessionEnded: ("Phiên làm việc đã hết hạn hoặc mã truy cập đã bị thu hồi. Đề nghị đăng nhập lại.", "Your session has ended or its token was revoked. Please sign in again.")
        case .wholeCountry: ("Toàn quốc", "Whole country")
        case .unitLabel: ("Đơn vị", "Unit")
        case .scopeLabel: ("Phạm vi", "Scope")
        case .periodLabel: ("Kỳ báo cáo", "Period")
        case .periodFromTo: ("từ ngày {from} đến ngày {to}", "{from} to {to}")
        case .asKnownNow: ("Số liệu tính đến thời điểm hiện tại", "As known now (everything recorded)")
        case .asKnownAt: ("Số liệu tính đến {moment}", "As known at {moment}")
        case .periodInProgress: ("Kỳ báo cáo chưa kết thúc: số liệu còn thay đổi.", "The period is not over: the figures will still change.")
        case .languageSwitch: ("English", "Tiếng Việt")
        case .showPeriod: ("Xem", "Show")
        case .yearLabel: ("Năm", "Year")
        case .quarterLabel: ("Quý", "Quarter")
        case .monthLabel: ("Tháng", "Month")
        case .fromLabel: ("Từ ngày", "From")
        case .toLabel: ("Đến ngày", "To")
        case .asOfLabel: ("Tính đến thời điểm (giờ UTC)", "As of (UTC)")
        case .forbiddenMessage: ("Mã truy cập này chỉ được xem số liệu của {allowed}, không được xem số liệu của {asked}.", "This access token may see the figures of {allowed}, not those of {asked}.")
        case .backToDashboard: ("Về trang số liệu", "Back to the figures")
        case .upOneLevel: ("Lên cấp trên", "Up one level")
        case .errorTitle: ("Không thực hiện được yêu cầu", "The request could not be done")
        case .forbiddenTitle: ("Không có quyền xem", "Not allowed")
        case .badRequestTitle: ("Yêu cầu không hợp lệ", "Bad request")
        case .notFoundTitle: ("Không tìm thấy trang", "Page not found")
        case .existingCapture: ("Tỷ lệ bắt, vận động đầu thú đối tượng truy nã cũ", "Capture rate of existing wanted persons")
        case .newCapture: ("Tỷ lệ bắt, vận động đầu thú đối tượng truy nã mới phát sinh", "Capture rate of newly arising wanted persons")
        case .reoffendingRate: ("Tỷ lệ tái phạm tội trong số người được đặc xá, tha tù trước thời hạn có điều kiện, chấp hành xong án phạt tù", "Reoffending rate among amnestied, early-released and sentence-completed persons")
        case .existingShort: ("Truy nã cũ", "Existing wanted")
        case .newShort: ("Truy nã mới phát sinh", "New wanted")
        case .reoffendingShort: ("Tái phạm tội", "Reoffending")
        case .target: ("Chỉ tiêu", "Target")
        case .targetAtLeast: ("Chỉ tiêu: từ {rate} trở lên", "Target: at least {rate}")
        case .targetBelow: ("Chỉ tiêu: dưới {rate}", "Target: below {rate}")
        case .met: ("Đạt chỉ tiêu", "Target met")
        case .notMet: ("Chưa đạt chỉ tiêu", "Target not met")
        case .noRate: ("Chưa có số liệu để tính tỷ lệ", "Nothing to count")
        case .sameTimeLastYear: ("Cùng kỳ năm trước", "Same period last year")
        case .capturedOf: ("Đã bắt, vận động đầu thú {numerator}/{denominator} đối tượng", "{numerator} of {denominator} captured")
        case .reoffendedOf: ("{numerator}/{denominator} người tái phạm tội", "{numerator} of {denominator} reoffended")
        case .count: ("Tổng số", "Count")
        case .captured: ("Bắt, vận động đầu thú", "Captured")
        case .arrested: ("Bắt giữ", "Arrested")
        case .surrendered: ("Đầu thú", "Surrendered")
        case .died: ("Chết", "Died")
        case .struckOff: ("Đình nã, thanh loại", "Struck off")
        case .open: ("Còn đang truy nã", "Still at large")
        case .population: ("Tổng số người đang quản lý", "Population")
        case .reoffended: ("Tái phạm tội", "Reoffended")
        case .rate: ("Tỷ lệ", "Rate")
        case .result: ("Kết quả", "Result")
        case .byType: ("Theo diện", "By release type")
        case .amnesty: ("Đặc xá", "Amnesty")
        case .earlyRelease: ("Tha tù trước thời hạn có điều kiện", "Early release on conditions")
        case .sentenceCompleted: ("Chấp hành xong án phạt tù", "Sentence completed")
        case .allReleased: ("Tất cả các diện", "All types")
        case .progressTitle: ("Tiến độ thực hiện chỉ tiêu trong kỳ (lũy kế theo tháng)", "Progress within the period (cumulative by month)")
        case .progressDesc: ("{figure}: tỷ lệ lũy kế đến hết mỗi tháng, so với chỉ tiêu {target} và cùng kỳ năm trước.", "{figure}: the rate from the period's start to the end of each month, against the target {target} and the same months a year earlier.")
        case .monthColumn: ("Tháng", "Month")
        case .thisYear: ("Kỳ này", "This period")
        case .lastYear: ("Cùng kỳ năm trước", "A year earlier")
        case .targetLine: ("Chỉ tiêu", "Target")
        case .unitsTitle: ("Kết quả theo đơn vị trực thuộc", "Units directly below")
        case .unitsDesc: ("{figure} của từng đơn vị trực thuộc, xếp từ tốt đến kém (tỷ lệ tái phạm tội: thấp đứng đầu), vạch đứng là chỉ tiêu {target}.", "{figure} of each unit directly below, best first; the vertical mark is the target {target}.")
        case .unitColumn: ("Đơn vị", "Unit")
        case .rankedBy: ("Xếp hạng theo", "Ranked by")
        case .ownCases: ("đơn vị trực tiếp quản lý", "its own cases")
        case .cohortTitle: ("Theo dõi tái phạm tội theo nhóm người ra trại trong kỳ", "Reoffending of the persons released within the period")
        case .cohortDesc: ("Tỷ lệ đã tái phạm tội theo số ngày kể từ khi ra trại (Kaplan–Meier), dải mờ là khoảng tin cậy 95 %.", "Share reoffended by days since release (Kaplan–Meier), with its 95 % band.")
        case .daysSinceRelease: ("Số ngày kể từ khi ra trại", "Days since release")
        case .shareReoffended: ("Tỷ lệ đã tái phạm", "Share reoffended")
        case .horizonYears: ("Sau {years} năm", "{years}-year horizon")
        case .cohortSize: ("Số người ra trại trong kỳ", "Released within the period")
        case .curveDay: ("Ngày", "Day")
        case .atRisk: ("Còn theo dõi", "Still followed")
        case .lowerBound: ("Cận dưới", "Lower bound")
        case .upperBound: ("Cận trên", "Upper bound")
        case .notObservedYet: ("chưa đủ thời gian theo dõi", "not observed yet")
        case .downloadCSV: ("Tải CSV", "Download CSV")
        case .cohortCurveCSV: ("đường cong, mọi điểm", "the curve, every point")
        case .cohortSharesCSV: ("tỷ lệ sau 1, 3, 5 năm theo diện", "the 1, 3 and 5-year shares by type")
        case .tableOfChart: ("Bảng số liệu", "The chart's numbers")
        case .listExisting: ("Đối tượng truy nã cũ", "Existing wanted cases")
        case .listNew: ("Đối tượng truy nã mới phát sinh", "Newly arising wanted cases")
        case .listReleased: ("Người được đặc xá, tha tù trước thời hạn, chấp hành xong án phạt tù", "Released persons followed")
        case .outcomeLabel: ("Kết quả", "Outcome")
        case .outcomeAll: ("Tất cả", "All")
        case .outcomeCaptured: ("Đã bắt, vận động đầu thú", "Captured")
        case .outcomeOpen: ("Còn đang truy nã", "Still at large")
        case .outcomeReoffended: ("Tái phạm tội", "Reoffended")
        case .outcomeNotReoffended: ("Chưa tái phạm", "Not reoffended")
        case .caseColumn: ("Hồ sơ", "Case")
        case .nameColumn: ("Họ và tên", "Name")
        case .birthColumn: ("Ngày sinh", "Born")
        case .openedColumn: ("Ngày ra quyết định truy nã", "Wanted since")
        case .closingColumn: ("Kết quả", "Closed as")
        case .closingDateColumn: ("Ngày bắt, đầu thú, đình nã", "Closed on")
        case .releasedColumn: ("Ngày ra trại", "Released on")
        case .typeColumn: ("Diện", "Release type")
        case .endingColumn: ("Kết thúc theo dõi", "Ended as")
        case .endingDateColumn: ("Ngày kết thúc", "Ended on")
        case .responsibleColumn: ("Đơn vị quản lý", "Responsible unit")
        case .shownRange: ("Hiển thị {first}–{last} trong tổng số {total}", "Showing {first}–{last} of {total}")
        case .previousPage: ("Trang trước", "Previous page")
        case .nextPage: ("Trang sau", "Next page")
        case .noCases: ("Không có hồ sơ nào.", "No case.")
        case .whoExisting: ("Đối tượng truy nã cũ là các đối tượng có quyết định truy nã trước ngày đầu kỳ và chưa bị bắt, đầu thú, chết hay đình nã trước ngày đó; được tính là bắt, vận động đầu thú khi bị bắt hoặc ra đầu thú trong kỳ; đối tượng chết hoặc bị đình nã, thanh loại vẫn được tính trong tổng số.", "Existing wanted persons are the cases opened before the period's first day and not closed before it; a case counts as captured when the person is arrested or surrenders within the period; cases closed by death or struck off stay in the count.")
        case .whoNew: ("Đối tượng truy nã mới phát sinh là các đối tượng có quyết định truy nã đầu tiên trong kỳ; được tính là bắt, vận động đầu thú khi bị bắt hoặc ra đầu thú đến hết ngày cuối kỳ.", "Newly arising wanted persons are the cases whose first wanted decision falls within the period; a case counts as captured when the person is arrested or surrenders by the period's last day.")
        case .whoReoffending: ("Người được theo dõi là người được đặc xá, tha tù trước thời hạn có điều kiện hoặc chấp hành xong án phạt tù, ra trại đến ngày cuối kỳ và chưa kết thúc theo dõi trước ngày đầu kỳ, tính cho đơn vị quản lý vào ngày cuối kỳ; tái phạm tội là phạm tội mới trong kỳ.", "The persons followed were amnestied, released early on conditions or released at the end of their sentence by the period's last day and not ended before its first day, each counted for the unit responsible on the last day; reoffending means a new offence within the period.")
        case .whoProgress: ("Mỗi điểm là kết quả lũy kế từ ngày đầu kỳ đến hết tháng đó, tính như ba chỉ tiêu trên; đường ngang là chỉ tiêu, đường nhạt là cùng kỳ năm trước.", "Each point is the figure from the period's first day to the end of that month, counted as above; the flat line is the target, the pale line the same months a year earlier.")
        case .whoUnits: ("Mỗi đơn vị trực thuộc được tính các hồ sơ của chính đơn vị và của các đơn vị cấp dưới; hồ sơ truy nã tính cho đơn vị lập hồ sơ truy nã, người ra trại tính cho đơn vị quản lý vào ngày cuối kỳ.", "Each unit directly below counts its own cases and those of the units below it: a wanted case counts for the unit that registered it, a released person for the unit responsible on the period's last day.")
        case .whoCohort: ("Nhóm theo dõi là những người ra trại trong kỳ; đường cong cho biết tỷ lệ đã tái phạm tội theo số ngày kể từ khi ra trại, người chết, bị hủy quyết định tha tù hoặc được xóa án tích được theo dõi đến ngày đó.", "The cohort is the persons released within the period; the curve gives the share who reoffended by days since release, and persons who died, had their early release revoked or their record expunged are followed up to that day.")
        case .tablePlanFigures: ("Kết quả thực hiện chỉ tiêu của {scope}, từ ngày {from} đến ngày {to}", "Plan figures for {scope}, {from} to {to}")
        case .tableWanted: ("Đối tượng truy nã", "Wanted persons")
        case .tableReleased: ("Người ra trại", "Released persons")
        case .tableByUnit: ("Theo đơn vị", "By unit")
        case .tableNoUnit: ("Không đơn vị nào có hồ sơ được tính.", "No unit has a counted case.")
        case .tableOtherTargets: ("Đơn vị có chỉ tiêu riêng, khác chỉ tiêu của phạm vi:", "Units held to targets other than the scope's:")
        case .tableExistingRow: ("cũ", "existing")
        case .tableNewRow: ("mới phát sinh", "new")
        case .tableAllRow: ("tất cả", "all")
        case .tableExisting: ("Truy nã cũ", "Existing")
        case .tableNew: ("Mới phát sinh", "New")
        case .tableReleasedCount: ("Ra trại", "Released")
        case .unitsTitleNational: ("Kết quả của Công an các tỉnh, thành phố", "Provinces")
        case .wholeCountryInSentence: ("toàn quốc", "the whole country")
        case .badParameter: ("Tham số {name} = \"{value}\" không hợp lệ: {reason}.", "The parameter {name} = \"{value}\" is not valid: {reason}.")
        case .reasonUnknownParameter: ("trang này không dùng tham số này", "this page takes no such parameter")
        case .reasonRepeated: ("tham số chỉ được ghi một lần", "give it once only")
        case .reasonLanguage: ("chỉ nhận vi hoặc en", "write vi or en")
        case .reasonUnit: ("mã đơn vị gồm các nhóm chữ cái, chữ số (và _ -) cách nhau bởi dấu chấm, ví dụ 79.26734, hoặc * (toàn quốc)", "a unit code is dot-separated groups of letters and digits (and _ -), as in 79.26734, or * for the whole country")
        case .reasonPeriod: ("ghi kỳ báo cáo bằng một trong các cách: năm (2020), quý (2020Q3), tháng (2020-07), hoặc từ ngày và đến ngày (2020-01-01 và 2020-12-31, từ ngày không sau đến ngày)", "give the period as one of year (2020), quarter (2020Q3), month (2020-07), or from and to (2020-01-01 and 2020-12-31, from not after to)")
        case .reasonSeveralPeriods: ("đã ghi nhiều kỳ báo cáo cùng lúc ({names}); chỉ ghi một trong: năm, quý, tháng, hoặc từ ngày và đến ngày", "several periods are given at once ({names}); give only one of year, quarter, month, or from and to")
        case .reasonPeriodTooLong: ("kỳ báo cáo trên trang này dài tối đa 10 năm; số liệu của kỳ dài hơn lấy qua /v1/metrics", "a period on this page is at most 10 years long; longer periods are served by /v1/metrics")
        case .reasonAsOf: ("ghi thời điểm theo giờ UTC, ví dụ 2021-01-15T08:00:00Z, hoặc một ngày (hết ngày đó)", "write a UTC time, as in 2021-01-15T08:00:00Z, or a date (its end)")
        case .reasonAsOfFuture: ("thời điểm tính đến chưa tới; hãy ghi một thời điểm đã qua", "that moment has not come yet; give a past one")
        case .reasonList: ("chỉ nhận existing, new hoặc released", "write existing, new or released")
        case .reasonOutcome: ("với danh sách này chỉ nhận {names}", "for this list write one of {names}")
        case .reasonPage: ("ghi số trang, từ 1", "write a page number from 1")
        case .tooLarge: ("Nội dung gửi lên quá lớn.", "What was sent is too large.")
        case .otherSite: ("Yêu cầu này đến từ một trang khác nên không được thực hiện. Đề nghị mở trực tiếp địa chỉ của hệ thống.", "This request came from another site and was not done. Open the dashboard's own address.")
        case .periodHint: ("Chỉ ghi một trong: năm, quý, tháng, hoặc từ ngày và đến ngày.", "Fill in one of: year, quarter, month, or from and to.")
        case .tableKnownNow: ("số liệu tính đến thời điểm hiện tại", "as known now (everything recorded)")
        case .tableKnownAt: ("số liệu tính đến {moment}", "as known at {moment}")
        case .tableInProgress: ("Kỳ báo cáo chưa kết thúc: kỳ kết thúc ngày {to}, số liệu lấy ngày {observed}; số liệu còn thay đổi.", "Period in progress: it ends on {to} and was observed on {observed}; the figures will still change.")
        case .tableOpen: ("Còn truy nã", "Open")
        case .tableMet: ("Đạt", "met")
        case .tableNotMet: ("Chưa đạt", "NOT met")
        case .tableOwnCases: ("(đơn vị trực tiếp quản lý)", "(own cases)")
        case .tableOwnTargetLine: ("{unit}: truy nã cũ ≥ {existing}, mới phát sinh ≥ {new}, tái phạm tội < {reoffending}", "{unit}: existing ≥ {existing}, new ≥ {new}, reoffending < {reoffending}")
        case .tableAmnesty: ("đặc xá", "amnesty")
        case .tableEarlyRelease: ("tha tù trước thời hạn", "early release")
        case .tableSentenceCompleted: ("chấp hành xong án", "sentence completed")
        case .endingReoffended: ("Tái phạm tội", "Reoffended")
        case .endingRevoked: ("Hủy quyết định tha tù trước thời hạn", "Early release revoked")
        case .endingDied: ("Chết", "Died")
        case .endingExpunged: ("Được xóa án tích", "Record expunged")
        case .supervisionTitle: ("Quản lý người được tha tù về cư trú tại địa phương", "Supervision of released persons")
        case .supervisionOn: ("Số liệu tính đến ngày {day}", "As on {day}")
        case .supervisionSupervised: ("Người được tha tù đang quản lý", "Released persons under supervision")
        case .supervisionReportedIn: ("Đã trình diện", "Reported in")
        case .supervisionContactsOnTime: ("Tiếp xúc đúng hạn", "Contacts on time")
        case .supervisionArrivalOverdue: ("Quá hạn trình diện", "Overdue to report in")
        case .supervisionWhereaboutsUnknown: ("Vắng mặt không rõ lý do tại nơi cư trú", "Whereabouts unknown")
        case .supervisionWantedOpen: ("Đang bị truy nã", "Wanted, case open")
        case .dueTitle: ("Danh sách việc cần làm với người được tha tù", "What is due on released persons")
        case .dueLink: ("Danh sách việc cần làm (từng trường hợp)", "What is due, case by case")
        case .dueLead: ("Đơn vị {unit}, ngày {day}. Trường hợp quá hạn lâu nhất ở trên cùng.", "Unit {unit}, on {day}. The oldest first.")
        case .dueNone: ("Không có việc nào đến hạn.", "Nothing is due.")
        case .dueShown: ("Hiển thị {shown} trong tổng số {total} việc", "{shown} of {total} items shown")
        case .dueDays: ("Số ngày", "Days")
        case .dueSince: ("Từ ngày", "Since")
        case .dueKind: ("Việc", "Due")
        case .reasonDay: ("ghi một ngày dạng YYYY-MM-DD, ví dụ 2026-12-02", "write a day as YYYY-MM-DD, as in 2026-12-02")
        case .persons: ("Số người", "Persons")
        case .share: ("Tỷ lệ", "Share")
        case .whoSupervision: ("Người được tha tù đang quản lý là người được đặc xá, tha tù trước thời hạn có điều kiện hoặc chấp hành xong án phạt tù đã ra trại và chưa kết thúc theo dõi vào ngày cuối kỳ (hoặc ngày lấy số liệu, nếu kỳ báo cáo chưa kết thúc), tính cho đơn vị quản lý vào ngày đó; các tỷ lệ tính trên số người này; quá hạn trình diện là chưa trình diện khi đã quá 5 ngày kể từ ngày ra trại hoặc ngày chuyển đến; tiếp xúc đúng hạn là đã trình diện và lần tiếp xúc gần nhất chưa quá 31 ngày đối với người đang trong thời gian thử thách, 92 ngày đối với người khác (hoặc thời hạn đơn vị đã đặt).", "The released persons under supervision were amnestied, released early on conditions or released at the end of their sentence and their case has not ended on the period's last day (or on the day observed, while the period runs), each counted for the unit responsible that day; every share is of them; overdue to report in means not reported in more than 5 days after the release or the transfer; contacts on time means reported in and last contacted no more than 31 days before while on probation, 92 days otherwise (or the unit's own intervals).")
        case .tableSupervision: ("Người được tha tù đang quản lý ngày {day}: {count}", "Released persons under supervision on {day}: {count}")
        case .tableSupervisionByUnit: ("Quản lý theo đơn vị", "Supervision by unit")
        case .tableSupervised: ("Đang quản lý", "Supervised")
        case .tableOnTime: ("Tiếp xúc đúng hạn", "On time")
        case .tableOverdue: ("Quá hạn trình diện", "Overdue")
        case .tableMissing: ("Vắng mặt", "Missing")
        case .tableWantedOpen: ("Bị truy nã", "Wanted")
        }
    }
}

extension Phrase {
    /// The release type in words.
    public static func of(_ type: ReleaseType) -> Phrase {
        switch type {
        case .amnesty: .amnesty
        case .earlyRelease: .earlyRelease
        case .sentenceCompleted: .sentenceCompleted
        }
    }

    /// The release type in a table's narrow column.
    public static func short(_ type: ReleaseType) -> Phrase {
        switch type {
        case .amnesty: .tableAmnesty
        case .earlyRelease: .tableEarlyRelease
        case .sentenceCompleted: .tableSentenceCompleted
        }
    }

    /// How a release case ended, in words.
    public static func of(_ kind: EndingKind) -> Phrase {
        switch kind {
        case .reoffended: .endingReoffended
        case .revoked: .endingRevoked
        case .died: .endingDied
        case .expunged: .endingExpunged
        }
    }

    /// A supervision figure in words.
    public static func of(_ kind: PlanReport.SupervisionReport.Kind) -> Phrase {
        switch kind {
        case .reportedIn: .supervisionReportedIn
        case .contactsOnTime: .supervisionContactsOnTime
        case .arrivalOverdue: .supervisionArrivalOverdue
        case .whereaboutsUnknown: .supervisionWhereaboutsUnknown
        case .wantedOpen: .supervisionWantedOpen
        }
    }

    /// A supervision figure in a table's narrow column.
    public static func short(_ kind: PlanReport.SupervisionReport.Kind) -> Phrase {
        switch kind {
        case .reportedIn: .supervisionReportedIn
        case .contactsOnTime: .tableOnTime
        case .arrivalOverdue: .tableOverdue
        case .whereaboutsUnknown: .tableMissing
        case .wantedOpen: .tableWantedOpen
        }
    }

    /// How a wanted case closed, in words.
    public static func of(_ kind: ClosingKind) -> Phrase {
        switch kind {
        case .arrested: .arrested
        case .surrendered: .surrendered
        case .died: .died
        case .struckOff: .struckOff
        }
    }
}
