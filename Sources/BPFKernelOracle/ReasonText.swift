/// Shortening and grouping of reason strings.
public enum ReasonText {
    /// At most `limit` characters.
    public static func clipped(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    /// Digits and quoted names folded, so reasons group across programs.
    public static func normalized(_ line: String) -> String {
        var out = ""
        var inQuote = false
        var lastWasDigit = false
        for character in line {
            if character == "'" {
                inQuote.toggle()
                if inQuote { out += "'…'" }
                continue
            }
            if inQuote { continue }
            if character.isNumber {
                if !lastWasDigit { out += "N" }
                lastWasDigit = true
                continue
            }
            lastWasDigit = false
            out.append(character)
        }
        return clipped(out, 160)
    }
}
