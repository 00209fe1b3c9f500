using NPlug.Buffers.Buses;

namespace NPlug.Buffers.Tests.Storage;

public sealed class BusConfigurationTests
{
    [Fact]
    public void DerivedTotals_CountActiveBusesOnly()
    {
        var config = new BusConfiguration(
            [BusInfo.Main("In", 6), BusInfo.Aux("Side", 2, isActive: false)],
            [BusInfo.Main("Out", 6), BusInfo.Aux("Quad send", 4)]);
        Assert.Equal(6, config.InputChannelCount);
        Assert.Equal(10, config.OutputChannelCount);
        Assert.Equal(1, config.AuxInputCount);
        Assert.Equal(1, config.AuxOutputCount);
        Assert.Equal(6, config.MainInputChannelCount);
        Assert.False(config.IsInstrument);
    }

    [Fact]
    public void IsInstrument_NoInputsAndSomeOutputs()
    {
        Assert.True(BusConfiguration.Instrument(2).IsInstrument);
        Assert.False(BusConfiguration.Effect(2, 2).IsInstrument);
        Assert.False(BusConfiguration.Effect(0, 0).IsInstrument); // no outputs either: nothing to play into
        // An input bus that exists but is inactive carries no audio.
        Assert.True(new BusConfiguration([BusInfo.Main("In", 2, isActive: false)], [BusInfo.Main("Out", 2)]).IsInstrument);
    }

    [Fact]
    public void MainBus_MustBeFirst()
    {
        Assert.Throws<ArgumentException>(() => new BusConfiguration([BusInfo.Aux("Side", 2), BusInfo.Main("In", 2)], []));
        Assert.Throws<ArgumentException>(() => new BusConfiguration([], [default]));
        Assert.Throws<ArgumentOutOfRangeException>(() => BusInfo.Main("Huge", BusInfo.MaxChannels + 1));
        // Aux-only is allowed (e.g. an analyzer with only sidechain inputs).
        var auxOnly = new BusConfiguration([BusInfo.Aux("Side", 2)], [BusInfo.Main("Out", 2)]);
        Assert.False(auxOnly.HasMainInput);
        Assert.Equal(1, auxOnly.AuxInputCount);
    }

    [Fact]
    public void Equality_IsByValue()
    {
        Assert.Equal(BusConfiguration.EffectWithSidechain(2, 2, 2), BusConfiguration.EffectWithSidechain(2, 2, 2));
        Assert.NotEqual(BusConfiguration.EffectWithSidechain(2, 2, 2), BusConfiguration.EffectWithSidechain(2, 1, 2));
        Assert.NotEqual(BusConfiguration.Effect(2, 2), BusConfiguration.Instrument(2));
        Assert.Equal(default(BusConfiguration), new BusConfiguration([], []));
        Assert.Equal(BusConfiguration.Effect(1, 2).GetHashCode(), BusConfiguration.Effect(1, 2).GetHashCode());
    }

    [Fact]
    public void SpeakerArrangement_Describes()
    {
        Assert.Equal("5.1", BusInfo.Describe(6));
        Assert.Equal("stereo", BusInfo.Describe(2));
        Assert.Equal("quad", BusInfo.Describe(4));
        Assert.Equal("7 ch", BusInfo.Describe(7));
    }
}
