import ArgumentParser

@main
struct Facet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "facet",
        abstract: "Recognise semantic features in faces with convolutional networks.",
        subcommands: [DataCommand.self])
}
