namespace NPlug.Buffers.Dsp;

/// <summary>The RBJ Audio EQ Cookbook responses that <see cref="BiquadDesign"/> can build.</summary>
public enum FilterType
{
    /// <summary>Second-order low-pass; Q sets the resonance at the corner.</summary>
    LowPass,

    /// <summary>Second-order high-pass; Q sets the resonance at the corner.</summary>
    HighPass,

    /// <summary>Band-pass with a constant 0 dB peak gain at the centre frequency; Q sets the bandwidth.</summary>
    BandPass,

    /// <summary>Band-reject with a zero on the unit circle at the centre frequency.</summary>
    Notch,

    /// <summary>Peaking (bell) EQ: +gainDb at the centre, 0 dB far away.</summary>
    Peaking,

    /// <summary>Low shelf: gainDb below the corner, 0 dB above; Q used directly (no shelf-slope form).</summary>
    LowShelf,

    /// <summary>High shelf: gainDb above the corner, 0 dB below; Q used directly (no shelf-slope form).</summary>
    HighShelf,

    /// <summary>All-pass: unit magnitude, 360° of phase turn centred on the frequency.</summary>
    AllPass,
}
