/// One read of the database shared by everyone who asks at about the same time, yet never
/// older than the asking: callers that arrive while a read is under way wait for the next
/// one, which starts after they asked. A thousand concurrent requests cost one query per
/// round trip instead of a thousand, and none of them can see a value from before it came.
actor SharedRead<Value: Sendable> {
    private let read: @Sendable () async throws -> Value
    private var waiting: [CheckedContinuation<Value, any Error>] = []
    private var reading = false

    init(_ read: @escaping @Sendable () async throws -> Value) {
        self.read = read
    }

    func value() async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append(continuation)
            if !reading {
                reading = true
                Task { await readForWaiting() }
            }
        }
    }

    private func readForWaiting() async {
        while !waiting.isEmpty {
            let asked = waiting
            waiting = []
            // The actor is free while this runs: whoever asks meanwhile waits for the next round.
            let result: Result<Value, any Error>
            do { result = .success(try await read()) } catch { result = .failure(error) }
            for continuation in asked { continuation.resume(with: result) }
        }
        reading = false
    }
}
