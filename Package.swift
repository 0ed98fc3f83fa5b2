// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "ScamSift",
    products: [
        .library(name: "ScamSift", targets: ["ScamSift"]),
        .executable(name: "scamsift", targets: ["scamsift"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // The only door to libxml2. Only ScamSift's Parse/ folder imports it.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // Turns Rules/*.yaml into Swift string literals so the binary needs no source tree.
        .executableTarget(name: "EmbedRules", path: "Sources/EmbedRules"),
        .plugin(
            name: "EmbedRulesPlugin",
            capability: .buildTool(),
            dependencies: ["EmbedRules"]
        ),
        .target(
            name: "ScamSift",
            dependencies: ["CLibXML2", .product(name: "Yams", package: "Yams")],
            plugins: ["EmbedRulesPlugin"]
        ),
        .executableTarget(
            name: "scamsift",
            dependencies: ["ScamSift", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(
            name: "ScamSiftTests",
            // Depending on the executable makes `swift test` build it for the end-to-end tests.
            dependencies: ["ScamSift", "scamsift"]
        ),
    ],
    swiftLanguageModes: [.v5]
)
