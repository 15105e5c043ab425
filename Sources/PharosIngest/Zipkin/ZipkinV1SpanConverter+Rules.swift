import PharosCore

extension ZipkinV1SpanConverter.State {
    /// `V1SpanConverter.processAnnotations`.
    mutating func processAnnotations() {
        for a in source.annotations {
            let i = forEndpoint(a.endpoint)
            guard a.value.utf8.count == 2, a.endpoint != nil else {
                annotate(i, a)
                continue
            }
            switch a.value {
            case "cs": spans[i].kind = .client; cs = a
            case "sr": spans[i].kind = .server; sr = a
            case "ss": spans[i].kind = .server; ss = a
            case "cr": spans[i].kind = .client; cr = a
            case "ms": spans[i].kind = .producer; ms = a
            case "mr": spans[i].kind = .consumer; mr = a
            case "ws": ws = a
            case "wr": wr = a
            default: annotate(i, a)
            }
        }
        if cs == nil, endReflectsDuration(cr), let cr { cs = .init(timestampUs: source.timestampUs, value: "cs", endpoint: cr.endpoint) }
        if sr == nil, endReflectsDuration(ss), let ss { sr = .init(timestampUs: source.timestampUs, value: "sr", endpoint: ss.endpoint) }

        if let cs, let sr {
            maybeTimestampDuration(cs, cr)
            let client = forEndpoint(cs.endpoint)
            let server: Int
            if Self.sameService(cs.endpoint, sr.endpoint) {
                spans[client].kind = .client
                server = fork(sr.endpoint!)
                spans[server].kind = .server
            } else {
                server = forEndpoint(sr.endpoint)
            }
            spans[server].shared = true
            spans[server].timestampUs = max(sr.timestampUs, 0)
            if let ss { spans[server].durationUs = max(ss.timestampUs &- sr.timestampUs, 0) }
            if cr == nil && source.durationUs == 0 { spans[client].durationUs = 0 }
        } else if let cs, let cr {
            maybeTimestampDuration(cs, cr)
        } else if let sr, let ss {
            maybeTimestampDuration(sr, ss)
        } else {
            for i in spans.indices {
                if spans[i].kind == .client {
                    if let cs { spans[i].timestampUs = max(cs.timestampUs, 0) }
                    if let cr { annotate(i, cr) }
                } else if spans[i].kind == .server {
                    if let sr { spans[i].timestampUs = max(sr.timestampUs, 0) }
                    if let ss { annotate(i, ss) }
                }
            }
            if source.timestampUs != 0 {
                spans[0].timestampUs = max(source.timestampUs, 0)
                spans[0].durationUs = max(source.durationUs, 0)
            }
        }
        if cs == nil, let sr, source.timestampUs == 0 || (ss != nil && source.durationUs == 0) {
            spans[forEndpoint(sr.endpoint)].shared = true
        }
        if let ms, let mr {
            let producer = forEndpoint(ms.endpoint)
            let consumer: Int
            if Self.sameService(ms.endpoint, mr.endpoint) {
                spans[producer].kind = .producer
                consumer = fork(mr.endpoint!)
                spans[consumer].kind = .consumer
            } else {
                consumer = forEndpoint(mr.endpoint)
            }
            spans[consumer].shared = true
            if let wr {
                spans[consumer].timestampUs = max(wr.timestampUs, 0)
                spans[consumer].durationUs = max(mr.timestampUs &- wr.timestampUs, 0)
            } else {
                spans[consumer].timestampUs = max(mr.timestampUs, 0)
            }
            spans[producer].timestampUs = max(ms.timestampUs, 0)
            spans[producer].durationUs = ws.map { max($0.timestampUs &- ms.timestampUs, 0) } ?? 0
        } else if let ms {
            maybeTimestampDuration(ms, ws)
        } else if let mr {
            if let wr { maybeTimestampDuration(wr, mr) } else { maybeTimestampDuration(mr, nil) }
        } else {
            if let ws { annotate(forEndpoint(ws.endpoint), ws) }
            if let wr { annotate(forEndpoint(wr.endpoint), wr) }
        }
    }

    /// `V1SpanConverter.processBinaryAnnotations`.
    mutating func processBinaryAnnotations() {
        var ca: Endpoint?, sa: Endpoint?, ma: Endpoint?
        for b in source.binaryAnnotations {
            guard let value = b.stringValue else {
                switch b.key {
                case "ca": ca = b.endpoint
                case "sa": sa = b.endpoint
                case "ma": ma = b.endpoint
                default: break
                }
                continue
            }
            let i = forEndpoint(b.endpoint)
            if b.key == "lc" && value.isEmpty { continue }
            spans[i].tags.append(SpanTag(key: b.key, value: value))
        }
        let noCore = cs == nil && cr == nil && ss == nil && sr == nil
        if noCore && (ca != nil || sa != nil) {
            if let ca, let sa {
                spans[forEndpoint(ca)].remoteEndpoint = sa
            } else if let sa {
                spans[0].remoteEndpoint = sa
            } else if let ca {
                spans[0].kind = .server
                spans[0].remoteEndpoint = ca
            }
            return
        }
        if var client = ca, let server = sr ?? ss, client != server.endpoint {
            if Self.sameService(client, server.endpoint) { client.serviceName = nil }
            spans[forEndpoint(server.endpoint)].remoteEndpoint = client.isEmpty ? nil : client
        }
        if let sa {
            if let cs {
                spans[forEndpoint(cs.endpoint)].remoteEndpoint = sa
            } else if let cr {
                spans[forEndpoint(cr.endpoint)].remoteEndpoint = sa
            }
        }
        if let ma {
            if let ms { spans[forEndpoint(ms.endpoint)].remoteEndpoint = ma }
            if let mr { spans[forEndpoint(mr.endpoint)].remoteEndpoint = ma }
        }
    }
}
