// Prints the seed-000 memory table from real ProcessBufferStorage instances: every byte count below is read
// back from StorageFootprint of an allocated storage, nothing is typed in.
using NPlug.Buffers.Buses;
using NPlug.Buffers.Storage;
using Spectre.Console;

const int maxFrames = 512;

if (Console.IsOutputRedirected)
{
    // Piped or captured: keep the table on one line per row and free of escape codes.
    AnsiConsole.Profile.Width = 120;
    AnsiConsole.Profile.Capabilities.Ansi = false;
}

var rows = new (string Name, BusConfiguration Config)[]
{
    ("Mono 1/1", BusConfiguration.Effect(1, 1)),
    ("Stereo 2/2", BusConfiguration.Effect(2, 2)),
    ("Stereo+sidechain 2+2/2", BusConfiguration.EffectWithSidechain(2, 2, 2)),
    ("Surround 5.1 6/6", BusConfiguration.Effect(6, 6)),
    ("Mono->stereo 1/2", BusConfiguration.Effect(1, 2)),
    ("2+1+4 aux in / 2", new BusConfiguration(
        [BusInfo.Main("In", 2), BusInfo.Aux("Sidechain", 1), BusInfo.Aux("Quad", 4)], [BusInfo.Main("Out", 2)])),
    ("Instrument 0/2", BusConfiguration.Instrument(2)),
};

int worstCase = StorageFootprint.WorstCasePointerBytes;
var table = new Table()
    .Title($"ProcessBufferStorage<float>, max {maxFrames} frames")
    .AddColumn("Plugin (in/out)")
    .AddColumn(new TableColumn("Worst case").RightAligned())
    .AddColumn(new TableColumn("Pointers").RightAligned())
    .AddColumn(new TableColumn("Saving").RightAligned())
    .AddColumn(new TableColumn("Scratch").RightAligned())
    .AddColumn(new TableColumn("Discard").RightAligned())
    .AddColumn(new TableColumn("Internal").RightAligned())
    .AddColumn(new TableColumn("Heap").RightAligned());

foreach (var (name, config) in rows)
{
    using var storage = new ProcessBufferStorage<float>(config, maxFrames);
    var fp = storage.Footprint;
    table.AddRow(
        Markup.Escape(name),
        $"{worstCase} B",
        $"{fp.PointerBytes} B",
        $"{fp.PointerSavingFactor:0.#}x",
        Bytes(fp.ScratchBytes),
        Bytes(fp.DiscardBytes),
        Bytes(fp.InternalOutputBytes),
        fp.HeapAllocations.ToString());
}

AnsiConsole.Write(table);
AnsiConsole.MarkupLine(
    $"Worst case = {StorageFootprint.WorstCaseChannelsPerDirection} channels x 2 directions x {IntPtr.Size} B = {worstCase} B. " +
    "Scratch stands in for null inputs, discard for null effect outputs, internal buffers for null instrument outputs; " +
    "heap = blocks allocated (pointer block, buffer block, aux descriptor arrays).");

static string Bytes(long bytes) => bytes == 0 ? "-" : $"{bytes} B";
