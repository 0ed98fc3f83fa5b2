import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ScamSift
import ScamSiftFetch
import ServiceLifecycle

/// Where the server listens, once it does.
public struct ListeningAddress: Sendable, Equatable {
    public var host: String
    public var port: Int

    /// `http://127.0.0.1:8080/` (an IPv6 host in brackets).
    public var url: String {
        let h = host.contains(":") ? "[\(host)]" : host
        return "http://\(h):\(port)/"
    }
}

/// `scamsift serve`: the form page and `/check`, on Hummingbird, with one HTTP client for every
/// fetch (shut down when the server stops).
public struct ServeServer: Sendable {
    public let settings: ServeSettings
    public let engine: Engine

    public init(settings: ServeSettings, engine: Engine) {
        self.settings = settings
        self.engine = engine
    }

    /// Listens until `shutdown` is triggered or, with `stopOnSignals`, until SIGINT or SIGTERM,
    /// and then stops gracefully: no new connections, the requests in progress finish.
    /// (Cancelling the task stops it too, abruptly.) `onListening` hears the address once the
    /// port is bound (with `port` 0, the one the system chose).
    public func run(stopOnSignals: Bool = false, shutdown: ServeShutdown = ServeShutdown(),
                    onListening: @escaping @Sendable (ListeningAddress) async -> Void) async throws {
        let settings = settings, engine = engine
        try await settings.fetch.withClient { client in
            let port = Shared(settings.port)
            let responder = ServeResponder(settings: settings, engine: engine, client: client, port: port)
            let idle = TimeAmount.nanoseconds(Int64(settings.idleTimeout * 1e9))
            let app = Application(
                responder: responder,
                server: .http1(configuration: .init(idleTimeout: idle)),
                configuration: .init(address: .hostname(settings.host, port: settings.port)),
                onServerRunning: { channel in
                    let bound = channel.localAddress?.port ?? settings.port
                    port.set(bound)
                    await onListening(ListeningAddress(host: settings.host, port: bound))
                },
                logger: Self.logger
            )
            let group = ServiceGroup(configuration: .init(
                services: [app], gracefulShutdownSignals: stopOnSignals ? [.sigterm, .sigint] : [], logger: Self.logger))
            await shutdown.attach(group)
            try await group.run()
        }
    }

    /// Warnings and errors only, on standard error: standard output's first line is the address.
    static let logger: Logger = {
        var logger = Logger(label: "scamsift.serve") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .warning
        return logger
    }()
}

/// Stops a running `ServeServer` gracefully, from any task; triggered before the server has
/// started, it stops the server as soon as it does.
public final class ServeShutdown: Sendable {
    private let state = Shared<(group: ServiceGroup?, requested: Bool)>((nil, false))

    public init() {}

    public func trigger() async {
        let group = state.update { $0.requested = true; return $0.group }
        await group?.triggerGracefulShutdown()
    }

    func attach(_ group: ServiceGroup) async {
        let requested = state.update { $0.group = group; return $0.requested }
        if requested { await group.triggerGracefulShutdown() }
    }
}
