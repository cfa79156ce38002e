/// Company registration rules.
public enum CompanyRules {
    static let creditAlphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    static let creditWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    /// 统一社会信用代码 (GB 32100-2015): 18 characters from a 31-letter alphabet (no I, O,
    /// Z, S, V), the last a mod-31 check character over the first 17.
    public static func isValidCreditCode(_ code: String) -> Bool {
        let chars = Array(code)
        guard chars.count == 18 else { return false }
        var sum = 0
        for (char, weight) in zip(chars.prefix(17), creditWeights) {
            guard let value = creditAlphabet.firstIndex(of: char) else { return false }
            sum += value * weight
        }
        return chars[17] == creditAlphabet[(31 - sum % 31) % 31]
    }
}
