import NIOCore
import NIOPosix

/// The process's entry: NIO's event loops become Swift concurrency's executor before
/// anything else runs, so an async request handler continues on the event loop that read
/// the request instead of hopping to a separate dispatch thread and back for every await
/// (on 2 cores those hops were a large share of intake's time). Tests keep the default
/// executor; only the `yiju` process takes over.
@main
enum Entrypoint {
    static func main() async {
        // Before the first suspension this runs on the main thread, as the call requires.
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        await Yiju.main()
    }
}
