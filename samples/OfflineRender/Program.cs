using NPlug.Buffers.Hosting;
using NPlug.Buffers.Wav;
using OfflineRender;
using OfflineRender.Plot;
using Spectre.Console;

if (Console.IsOutputRedirected)
{
    // Captured output (CI logs, pipes): wide tables, no escape codes.
    AnsiConsole.Profile.Width = 140;
    AnsiConsole.Profile.Capabilities.Ansi = false;
}

try
{
    return Run(RenderOptions.Parse(args));
}
catch (OptionException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    Console.Error.WriteLine();
    Console.Error.WriteLine(RenderOptions.Usage);
    return 2;
}
catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidOperationException or WavFormatException
                              or IOException or UnauthorizedAccessException or DllNotFoundException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

static int Run(RenderOptions o)
{
    if (o.Help)
    {
        Console.WriteLine(RenderOptions.Usage);
        return 0;
    }

    string bundle = PluginSession.ResolveBundle(o.PluginPath);
    using var module = PluginModule.Load(bundle);
    if (o.List)
    {
        // One listing for the CLI and the tests: the host shim's describer.
        Console.Write(PluginDescriber.Describe(module));
        return 0;
    }

    var cls = PluginSession.ResolveClass(module, o.ClassName);
    using var plugin = module.CreatePlugin(cls);
    var assignments = PluginSession.ResolveParameters(plugin, o.Parameters);

    // Input first: a file fixes the sample rate unless --sample-rate asks for another (then it is resampled).
    double[][] input = [];
    int sampleRate = o.SampleRate ?? 48000;
    WavSampleFormat outputFormat = WavSampleFormat.Float32;
    string? resampled = null;
    if (o.InputPath != null)
    {
        var file = WavFile.Read<double>(o.InputPath);
        input = file.Channels;
        sampleRate = o.SampleRate ?? file.Format.SampleRate;
        outputFormat = file.Format.SampleFormat;
        if (sampleRate != file.Format.SampleRate)
        {
            input = Resampling.Resample(input, file.Format.SampleRate, sampleRate, o.Resampler);
            resampled = $"resampled {file.Format.SampleRate} -> {sampleRate} Hz ({(o.Resampler == ResamplerQuality.Sinc ? "WDL windowed sinc" : "WdlResamplingSampleProvider")})";
        }
    }

    var pictures = new List<string>();
    if (o.PlotPath != null)
    {
        var (bands, outputGain) = GainEqSettings.Read(plugin);
        var response = EqResponse.Compute(bands, outputGain, sampleRate);
        string written = EqPlot.Write(response, o.PlotPath, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{cls.Name}: EQ magnitude response at {sampleRate / 1000.0:0.#} kHz"));
        pictures.Add($"EQ response: {written}");
        if (o.PlotOnly)
        {
            AnsiConsole.MarkupLine($"EQ plot: {Markup.Escape(written)}");
            return 0;
        }
    }

    plugin.ActivateDefaultBuses();
    var buses = PluginBuses.Read(plugin);
    if (buses.MainOutputChannels == 0) throw new InvalidOperationException($"'{cls.Name}' has no audio output bus to render.");

    IReadOnlyList<Note> notes = o.Notes != null ? NoteSequence.Parse(o.Notes) : [];
    string inputDescription;
    if (o.InputPath != null)
    {
        inputDescription = $"{Path.GetFullPath(o.InputPath)} ({input.Length} ch{(resampled != null ? ", " + resampled : "")})";
    }
    else if (buses.IsInstrument)
    {
        if (notes.Count == 0) notes = NoteSequence.Default;
        inputDescription = o.Notes != null ? $"notes: {o.Notes}" : "embedded default note sequence (C-major arpeggio and chord)";
    }
    else
    {
        input = TestSignal.Generate(buses.MainInputChannels, sampleRate, o.LengthSeconds);
        inputDescription = $"generated: log sweep 20 Hz-20 kHz at -12 dBFS, then 1 kHz at -6 dBFS ({o.LengthSeconds} s, {input.Length} ch)";
    }

    // Instruments without an input file: the notes plus a second for their release.
    int frames = input.Length > 0 ? input[0].Length : notes.Count > 0 ? (int)Math.Round((NoteSequence.End(notes) + 1.0) * sampleRate) : 0;
    if (frames == 0) throw new InvalidOperationException("Nothing to render: the input is empty.");

    string outputPath = o.OutputPath
        ?? (o.InputPath != null
            ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(o.InputPath))!, Path.GetFileNameWithoutExtension(o.InputPath) + "-rendered.wav")
            : Path.Combine(RepoPaths.Root, "artifacts", "render", "default.wav"));

    var job = new RenderJob(input, frames, sampleRate, o.BlockSize, notes, assignments.Select(a => (a.Parameter.Id, a.Normalized)).ToList(), o.Double);
    RenderReport report;
    if (frames / (double)sampleRate > 1.0 && !Console.IsOutputRedirected)
    {
        report = null!;
        AnsiConsole.Progress().AutoClear(true).Start(ctx =>
        {
            var task = ctx.AddTask($"Rendering {Markup.Escape(cls.Name)}", maxValue: frames);
            report = Renderer.Render(plugin, job, (done, total) => task.Value = Math.Min(done, frames));
            task.Value = frames;
        });
    }
    else
    {
        if (frames / (double)sampleRate > 1.0) Console.WriteLine($"Rendering {cls.Name}: {frames / (double)sampleRate:0.##} s of audio...");
        report = Renderer.Render(plugin, job);
    }

    var outputChannels = report.Output.Length <= WavFormat.MaxChannels ? report.Output : report.Output[..WavFormat.MaxChannels];
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outputPath))!);
    WavFile.Write(outputPath, new WavFormat(sampleRate, outputChannels.Length, outputFormat), outputChannels);

    if (o.SpectrumPath != null)
    {
        var inSpectrum = input.Length > 0 ? Spectrum.Compute(input, sampleRate) : null;
        var outSpectrum = Spectrum.Compute(report.Output, sampleRate);
        pictures.Add($"Spectra: {SpectrumPlot.Write(inSpectrum, outSpectrum, sampleRate, o.SpectrumPath, $"{cls.Name}: input and output spectra ({sampleRate} Hz, Hann {Spectrum.DefaultSegment}, averaged)")}");
    }

    RenderSummary.Print(bundle, cls.Name, inputDescription, Path.GetFullPath(outputPath), sampleRate, o.BlockSize, input, report,
        assignments.Select(a => $"{a.Parameter.Title} = {a.Shown}").ToList(), pictures);
    if (report.Output.Length > WavFormat.MaxChannels)
        AnsiConsole.MarkupLine($"[yellow]Only the first {WavFormat.MaxChannels} of {report.Output.Length} output channels were written.[/]");
    return 0;
}
