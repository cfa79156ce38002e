/// One choice of a select or a list of checkboxes, labelled in the chosen language. The
/// console's one option type.
struct Option: Encodable, Sendable {
    var value: String
    var label: String
    var selected = false
}
