namespace NPlug.Buffers.Plugin.Parameters;

/// <summary>
/// The ordered parameter list of one plugin class with an id → index map. Built once; lookups never allocate, so the
/// audio thread may use <see cref="TryGetIndex"/>.
/// </summary>
public sealed class ParameterLayout
{
    private readonly ParameterDefinition[] _parameters;
    private readonly Dictionary<uint, int> _indexById;

    public ParameterLayout(params ParameterDefinition[] parameters)
    {
        _parameters = (ParameterDefinition[])parameters.Clone();
        _indexById = new Dictionary<uint, int>(_parameters.Length);
        int bypassCount = 0;
        for (int i = 0; i < _parameters.Length; i++)
        {
            var p = _parameters[i];
            if (!_indexById.TryAdd(p.Id, i)) throw new ArgumentException($"Duplicate parameter id {p.Id}.");
            // The flag combinations the VST3 validator rejects are rejected here already.
            if (p.IsReadOnly && (p.Flags & ParameterFlags.CanAutomate) != 0) throw new ArgumentException($"{p.Title}: read-only and automatable.");
            if ((p.Flags & ParameterFlags.IsHidden) != 0 && (p.Flags & ParameterFlags.CanAutomate) != 0) throw new ArgumentException($"{p.Title}: hidden and automatable.");
            if (p.IsBypass)
            {
                bypassCount++;
                if ((p.Flags & ~(ParameterFlags.IsBypass | ParameterFlags.CanAutomate)) != 0) throw new ArgumentException($"{p.Title}: bypass may only be automatable.");
            }
        }
        if (bypassCount > 1) throw new ArgumentException("More than one bypass parameter.");
    }

    public int Count => _parameters.Length;
    public ParameterDefinition this[int index] => _parameters[index];
    public ReadOnlySpan<ParameterDefinition> All => _parameters;

    public bool TryGetIndex(uint id, out int index) => _indexById.TryGetValue(id, out index);

    public ParameterDefinition? Find(uint id) => _indexById.TryGetValue(id, out int i) ? _parameters[i] : null;

    /// <summary>Index of the bypass parameter, or -1.</summary>
    public int BypassIndex
    {
        get
        {
            for (int i = 0; i < _parameters.Length; i++) if (_parameters[i].IsBypass) return i;
            return -1;
        }
    }

    /// <summary>A fresh array of every parameter's default normalized value, in layout order.</summary>
    public double[] CreateDefaults()
    {
        var values = new double[_parameters.Length];
        for (int i = 0; i < values.Length; i++) values[i] = _parameters[i].DefaultNormalized;
        return values;
    }
}
