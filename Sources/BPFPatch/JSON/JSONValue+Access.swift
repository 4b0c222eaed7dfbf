/// Typed access with the error paths the CLI prints (`patches[3].at`).
extension JSONValue {
    /// The members of an object, or a `.wrongType` error at `path`.
    package func members(at path: String) throws(JSONDocumentError) -> [(key: String, value: JSONValue)] {
        guard case .object(let members) = self else {
            throw JSONDocumentError(.wrongType, at: path, "expected an object, found \(typeName)")
        }
        return members
    }

    /// The elements of an array, or a `.wrongType` error at `path`.
    package func elements(at path: String) throws(JSONDocumentError) -> [JSONValue] {
        guard case .array(let elements) = self else {
            throw JSONDocumentError(.wrongType, at: path, "expected an array, found \(typeName)")
        }
        return elements
    }

    /// The integer value, or a `.wrongType` error at `path`.
    package func integer(at path: String) throws(JSONDocumentError) -> Int {
        guard case .integer(let n) = self else {
            throw JSONDocumentError(.wrongType, at: path, "expected an integer, found \(typeName)")
        }
        return n
    }

    /// The integer value if it lies in `range`, or an error at `path`. Every
    /// number read from a document goes through a bound like this, so no
    /// later arithmetic on it can overflow.
    package func integer(at path: String, in range: ClosedRange<Int>) throws(JSONDocumentError) -> Int {
        let n = try integer(at: path)
        guard range.contains(n) else {
            throw JSONDocumentError(.outOfRange, at: path, "\(n) is outside \(range.lowerBound)...\(range.upperBound)")
        }
        return n
    }

    /// The string value, or a `.wrongType` error at `path`.
    package func string(at path: String) throws(JSONDocumentError) -> String {
        guard case .string(let s) = self else {
            throw JSONDocumentError(.wrongType, at: path, "expected a string, found \(typeName)")
        }
        return s
    }

    /// An object's members by key; unknown keys are an error (they are
    /// usually typos), as are duplicates.
    package func keyed(at path: String, allowed: Set<String>) throws(JSONDocumentError) -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for (key, value) in try members(at: path) {
            let where_ = path.isEmpty ? key : "\(path).\(key)"
            guard allowed.contains(key) else {
                throw JSONDocumentError(.badKey, at: where_, "unknown key (expected one of \(allowed.sorted().joined(separator: ", ")))")
            }
            guard result.updateValue(value, forKey: key) == nil else {
                throw JSONDocumentError(.badKey, at: where_, "duplicate key")
            }
        }
        return result
    }
}

/// `path` + `.key`, without a leading dot at the top level.
package func jsonPath(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
