using NPlug.Buffers.Interop.Abi;

namespace NPlug.Buffers.Interop.Api;

/// <summary>
/// One class a factory can create. <see cref="ClassId"/> is a <see cref="Guid"/> whose text form is the
/// SDK's l1..l4 (what <c>.vstpreset</c> files and <c>moduleinfo.json</c> store); the bytes for the
/// running OS are produced at the ABI boundary (<see cref="Tuid.FromGuid(Guid)"/>).
/// </summary>
public sealed class PluginClassDescription
{
    // Built only by PluginFactoryDescription (AddProcessor/AddController), which sets every property.
    internal PluginClassDescription() { }

    public Guid ClassId { get; internal init; }
    public string Name { get; internal init; } = string.Empty;

    /// <summary><see cref="ClassCategories.AudioEffect"/> or <see cref="ClassCategories.ComponentController"/>.</summary>
    public string Category { get; internal init; } = string.Empty;

    /// <summary>e.g. "Fx|EQ", "Instrument|Sampler"; empty for controllers.</summary>
    public string SubCategories { get; internal init; } = string.Empty;

    /// <summary>Defaults to the factory vendor.</summary>
    public string Vendor { get; init; } = string.Empty;

    public string Version { get; init; } = "1.0.0";

    public string SdkVersion { get; init; } = Abi.SdkVersion.String;

    /// <summary><see cref="ComponentFlags"/> (only meaningful for processors).</summary>
    public uint ClassFlags { get; init; }

    public int Cardinality { get; init; } = ClassCardinality.ManyInstances;

    /// <summary>For a processor: the controller class returned by <c>getControllerClassId</c>.</summary>
    public Guid? ControllerClassId { get; internal init; }

    /// <summary>Creates a fresh <see cref="AudioProcessor"/> or <see cref="EditController"/>.</summary>
    public Func<object> Create { get; internal init; } = null!;

    public bool IsProcessor => Category == ClassCategories.AudioEffect;

    public bool IsController => Category == ClassCategories.ComponentController;
}

/// <summary>
/// What a plugin module registers: vendor information and its classes (usually one processor and
/// one controller per plugin). The COM factory is built from this description.
/// </summary>
public sealed class PluginFactoryDescription
{
    private readonly List<PluginClassDescription> _classes = new();

    public PluginFactoryDescription(string vendor, string url = "", string email = "")
    {
        ArgumentException.ThrowIfNullOrEmpty(vendor);
        Vendor = vendor;
        Url = url ?? string.Empty;
        Email = email ?? string.Empty;
    }

    public string Vendor { get; }
    public string Url { get; }
    public string Email { get; }

    /// <summary><see cref="FactoryFlags"/>; <see cref="FactoryFlags.Default"/> (kUnicode) unless changed.</summary>
    public int Flags { get; init; } = FactoryFlags.Default;

    public IReadOnlyList<PluginClassDescription> Classes => _classes;

    /// <summary>Registers a processor. <paramref name="classId"/> and <paramref name="controllerClassId"/> accept any Guid text form ("E831FF31-F2D5-…" or 32 hex digits l1..l4).</summary>
    public PluginClassDescription AddProcessor(string classId, string name, string subCategories, string controllerClassId,
        Func<AudioProcessor> create, string version = "1.0.0", uint classFlags = 0)
        => AddProcessor(Guid.Parse(classId), name, subCategories, Guid.Parse(controllerClassId), create, version, classFlags);

    public PluginClassDescription AddProcessor(Guid classId, string name, string subCategories, Guid controllerClassId,
        Func<AudioProcessor> create, string version = "1.0.0", uint classFlags = 0)
    {
        ArgumentNullException.ThrowIfNull(create);
        return Add(new PluginClassDescription
        {
            ClassId = classId,
            Name = name,
            Category = ClassCategories.AudioEffect,
            SubCategories = subCategories ?? string.Empty,
            Create = create,
            ControllerClassId = controllerClassId,
            Vendor = Vendor,
            Version = version,
            ClassFlags = classFlags,
        });
    }

    public PluginClassDescription AddController(string classId, string name, Func<EditController> create, string version = "1.0.0")
        => AddController(Guid.Parse(classId), name, create, version);

    public PluginClassDescription AddController(Guid classId, string name, Func<EditController> create, string version = "1.0.0")
    {
        ArgumentNullException.ThrowIfNull(create);
        return Add(new PluginClassDescription
        {
            ClassId = classId,
            Name = name,
            Category = ClassCategories.ComponentController,
            Create = create,
            Vendor = Vendor,
            Version = version,
        });
    }

    /// <summary>The class with this id, or null.</summary>
    public PluginClassDescription? Find(Guid classId) => _classes.Find(c => c.ClassId == classId);

    private PluginClassDescription Add(PluginClassDescription c)
    {
        ArgumentException.ThrowIfNullOrEmpty(c.Name);
        if (c.ClassId == Guid.Empty) throw new ArgumentException("A class id must not be empty.");
        if (Find(c.ClassId) is not null) throw new ArgumentException($"Duplicate class id {c.ClassId}.");
        _classes.Add(c);
        return c;
    }
}

/// <summary>
/// The module's registration point: a plugin assembly registers its factory once, from a <c>[ModuleInitializer]</c>,
/// and the exported <c>GetPluginFactory</c> serves it.
/// </summary>
/// <example><code>
/// [ModuleInitializer]
/// internal static void Register() => AudioPluginFactory.Register(new PluginFactoryDescription("Me").Add(new DelayModel()));
/// </code></example>
public static class AudioPluginFactory
{
    private static PluginFactoryDescription? s_registered;

    /// <summary>Sets the description the exported <c>GetPluginFactory</c> serves (replacing any earlier one).</summary>
    public static void Register(PluginFactoryDescription description)
    {
        ArgumentNullException.ThrowIfNull(description);
        Volatile.Write(ref s_registered, description);
    }

    /// <summary>What was registered, or null.</summary>
    public static PluginFactoryDescription? Registered => Volatile.Read(ref s_registered);
}
