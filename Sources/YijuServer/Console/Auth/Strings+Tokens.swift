/// The words of the API tokens page.
extension Strings {
    static let tokensZh: [String: String] = [
        "tokens": "API 令牌", "tokenLabel": "用途", "tokenOwner": "账号", "tokenCreated": "签发", "tokenExpires": "到期", "tokenLastUsed": "最近使用",
        "revoke": "吊销", "noTokens": "没有 API 令牌。",
        "tokensHint": "API 令牌供其他系统（如 12345 热线平台）调用接口，由 POST /api/v1/auth/token 或 yiju users token 签发；令牌本身只显示一次，这里只列出它的用途、期限和最近一次使用（精确到分钟）。吊销后，下一次调用即被拒绝（401）。",
        "tokensAllHint": "住建局可查看并吊销所有账号的令牌。",
    ]

    static let tokensEn: [String: String] = [
        "tokens": "API tokens", "tokenLabel": "Issued for", "tokenOwner": "User", "tokenCreated": "Issued", "tokenExpires": "Expires", "tokenLastUsed": "Last used",
        "revoke": "Revoke", "noTokens": "No API tokens.",
        "tokensHint": "API tokens let other systems (such as the 12345 platform) call the API; POST /api/v1/auth/token or yiju users token issues them. A token is shown once, when issued; here are only what it is for, until when, and when and from where it was last used (to the minute). Once revoked, its next request is refused (401).",
        "tokensAllHint": "The bureau sees and revokes every user's tokens.",
    ]
}
