extension String {
    /// Nil for the empty string: an empty form field, or one of only spaces once trimmed, means "not given".
    public var nilIfEmpty: String? { isEmpty ? nil : self }
}
