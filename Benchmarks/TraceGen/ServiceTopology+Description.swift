extension ServiceTopology: CustomStringConvertible {
    /// Nodes with their instances and operations, and each operation's calls (for `tracegen sample --topology`).
    var description: String {
        var lines: [String] = []
        for node in nodes {
            let style =
                node.role == .service || node.role == .frontend || node.role == .gateway
                ? (node.joinsSpans ? " shared-span" : " child-span") : " \(node.system)"
            lines.append("\(node.name) [\(node.role)\(style)] \(node.instances.count) instances :\(node.port)")
            for op in node.operations {
                lines.append("  \(op.name)")
                for call in op.calls {
                    let what: String
                    switch call.target {
                    case .http(let s, let o): what = "http \(nodes[s].name) \(nodes[s].operations[o].name)"
                    case .datastore(let s, let o): what = "\(nodes[s].name) \(nodes[s].operations[o].name)"
                    case .publish(let b, let t, let c, let h):
                        what = "\(nodes[b].name) \(nodes[b].operations[t].name) → \(nodes[c].name) \(nodes[c].operations[h].name)"
                    case .local(let name): what = "local \(name)"
                    }
                    let times =
                        call.fanOut.upperBound > 1
                        ? " ×\(call.fanOut.lowerBound)…\(call.fanOut.upperBound)\(call.parallel ? " parallel" : "")" : ""
                    lines.append("    → \(what) p=\(Int((call.probability * 100).rounded()))%\(times)")
                }
            }
        }
        return lines.joined(separator: "\n")
    }
}
