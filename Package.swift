// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "ScamSift",
    products: [
        .library(name: "ScamSift", targets: ["ScamSift"]),
        .executable(name: "scamsift", targets: ["scamsift"]),
        .library(name: "ScamSiftFetch", targets: ["ScamSiftFetch"]),
        .library(name: "ScamSiftServe", targets: ["ScamSiftServe"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        // Certificates made in the tests for the local HTTPS server, and read in TLS error messages.
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
    ],
    targets: [
        // The only door to libxml2. Only ScamSift's Parse/ folder imports it.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // The system ICU, for rule regexes: CICU links it (pkg-config), CICURegex calls it from C
        // with plain C types (see Sources/CICU/shim.h for why). Only ScamSift's Match/ imports it.
        .systemLibrary(
            name: "CICU",
            pkgConfig: "icu-i18n",  // its .pc file requires icu-uc
            providers: [.apt(["libicu-dev"])]
        ),
        .target(name: "CICURegex", dependencies: ["CICU"]),
        // The system zlib: the fetcher inflates gzip and deflate bodies with it as they stream in, ScamSift's
        // Input/ inflates WARC files, and the test server writes its compressed bodies.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // glibc's malloc_trim: memory freed after a large page goes back to the system.
        .systemLibrary(name: "CMalloc"),
        // Turns Rules/*.yaml into Swift string literals so the binary needs no source tree.
        .executableTarget(name: "EmbedRules", path: "Sources/EmbedRules"),
        .plugin(
            name: "EmbedRulesPlugin",
            capability: .buildTool(),
            dependencies: ["EmbedRules"]
        ),
        .target(
            name: "ScamSift",
            dependencies: ["CLibXML2", "CICURegex", "CZlib", "CMalloc", .product(name: "Yams", package: "Yams")],
            plugins: ["EmbedRulesPlugin"]
        ),
        // Fetching pages over HTTP(S) for `scamsift batch` and `scamsift score URL`.
        .target(
            name: "ScamSiftFetch",
            dependencies: [
                "ScamSift",
                "CZlib",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        // The learned text model's database (`scamsift learn`), in SQLite through GRDB.
        .target(
            name: "ScamSiftLearn",
            dependencies: ["ScamSift", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // `scamsift serve`: a local web page that scores a pasted URL or an uploaded page, on
        // Hummingbird. Its own target, so the library and the other commands' code need no web server.
        .target(
            name: "ScamSiftServe",
            dependencies: [
                "ScamSift",
                "ScamSiftFetch",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // On Linux the program carries the Swift runtime and Foundation in every build, not only
        // in scripts/package.sh's: any `swift build` gives a binary that runs on a machine without
        // the toolchain, and the package test packs the suite's own binary instead of compiling
        // everything a second time (that second build was most of CI's time on two cores).
        .executableTarget(
            name: "scamsift",
            dependencies: ["ScamSift", "ScamSiftFetch", "ScamSiftLearn", "ScamSiftServe", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: [.unsafeFlags(["-static-stdlib"], .when(platforms: [.linux]))],
            linkerSettings: [.unsafeFlags(["-static-stdlib"], .when(platforms: [.linux]))]
        ),
        // A local HTTP(S) server with one route per network fault, for tests and bench/batch.sh,
        // and the throwaway certificates its HTTPS tests make.
        .target(
            name: "ScamSiftTestServer",
            dependencies: [
                "CZlib",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(name: "BenchServer", dependencies: ["ScamSiftTestServer"]),
        // Hostile pages made from code (issue 16): bench/pathological.sh writes them with
        // `pathological-pages`, and the tests build them in memory.
        .target(name: "PathologicalPages"),
        .executableTarget(name: "pathological-pages", dependencies: ["PathologicalPages"]),
        // libFuzzer targets (scripts/fuzz.sh builds `scamsift-fuzz` with -sanitize=fuzzer,address
        // into .build-fuzz); in ordinary builds `scamsift-fuzz` only replays saved inputs.
        .target(name: "ScamSiftFuzzTargets", dependencies: ["ScamSift"]),
        .executableTarget(name: "scamsift-fuzz", dependencies: ["ScamSiftFuzzTargets"]),
        .testTarget(
            name: "ScamSiftTests",
            // No test target depends on `scamsift`: its link flags (Package.swift, above) would
            // reach the test bundles, and `swift test` builds every executable anyway.
            // The test server's `Compression` writes the gzip members of WARC fixtures.
            dependencies: ["ScamSift", "ScamSiftLearn", "ScamSiftFetch", "ScamSiftTestServer", "PathologicalPages", "ScamSiftFuzzTargets", .product(name: "Yams", package: "Yams")]
        ),
        .testTarget(
            name: "ScamSiftFetchTests",
            dependencies: ["ScamSift", "ScamSiftFetch", "ScamSiftTestServer"]
        ),
        .testTarget(
            name: "ScamSiftServeTests",
            dependencies: [
                "ScamSift", "ScamSiftFetch", "ScamSiftServe", "ScamSiftTestServer",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
