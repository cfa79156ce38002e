/// One labelled value of a page's fact list (a `<dl class="facts">`), in the chosen language.
/// The console's one fact type.
struct Fact: Encodable, Sendable {
    var label: String
    var value: String
}
