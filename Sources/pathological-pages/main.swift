import Foundation
import PathologicalPages

// Writes every pathological page (or the kinds named) into a folder as KIND.html.
// Usage: pathological-pages FOLDER [KIND...]
let arguments = Array(CommandLine.arguments.dropFirst())
guard let folder = arguments.first else {
    FileHandle.standardError.write(Data("usage: pathological-pages FOLDER [KIND...]\nkinds: \(PathologicalPage.allCases.map(\.rawValue).joined(separator: " "))\n".utf8))
    exit(2)
}
var kinds: [PathologicalPage] = []
for name in arguments.dropFirst() {
    guard let kind = PathologicalPage(rawValue: name) else {
        FileHandle.standardError.write(Data("pathological-pages: no kind \(name)\n".utf8))
        exit(2)
    }
    kinds.append(kind)
}
if kinds.isEmpty { kinds = PathologicalPage.allCases }
do {
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    for kind in kinds {
        let path = (folder as NSString).appendingPathComponent(kind.rawValue + ".html")
        try Data(kind.bytes()).write(to: URL(fileURLWithPath: path))
        print(path)
    }
} catch {
    FileHandle.standardError.write(Data("pathological-pages: \(error)\n".utf8))
    exit(1)
}
