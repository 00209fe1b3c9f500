using NPlug.Buffers.Interop.Abi;

namespace NPlug.Buffers.Tests.Abi;

// Expected numbers are the g++/SDK figures from shared/vst3-abi.md §4 (64-bit targets).
public unsafe class StructLayoutTests
{
    private static int Off<T>(T* s, void* field) where T : unmanaged => (int)((byte*)field - (byte*)s);

    [Theory]
    [InlineData(typeof(PFactoryInfo), 452)]
    [InlineData(typeof(PClassInfo), 116)]
    [InlineData(typeof(PClassInfo2), 440)]
    [InlineData(typeof(PClassInfoW), 696)]
    [InlineData(typeof(BusInfo), 276)]
    [InlineData(typeof(RoutingInfo), 12)]
    [InlineData(typeof(ProcessSetup), 24)]
    [InlineData(typeof(AudioBusBuffers), 24)]
    [InlineData(typeof(ProcessData), 80)]
    [InlineData(typeof(ProcessContext), 112)]
    [InlineData(typeof(ParameterInfo), 792)]
    [InlineData(typeof(Event), 48)]
    [InlineData(typeof(UnitInfo), 268)]
    [InlineData(typeof(ProgramListInfo), 264)]
    [InlineData(typeof(ViewRect), 16)]
    [InlineData(typeof(Chord), 4)]
    [InlineData(typeof(FrameRate), 8)]
    [InlineData(typeof(NoteOnEvent), 20)]
    [InlineData(typeof(NoteOffEvent), 16)]
    [InlineData(typeof(DataEvent), 16)]
    [InlineData(typeof(PolyPressureEvent), 12)]
    [InlineData(typeof(NoteExpressionValueEvent), 16)]
    [InlineData(typeof(NoteExpressionTextEvent), 24)]
    [InlineData(typeof(ChordEvent), 16)]
    [InlineData(typeof(ScaleEvent), 16)]
    [InlineData(typeof(LegacyMidiCCOutEvent), 4)]
    [InlineData(typeof(Tuid), 16)]
    [InlineData(typeof(String128), 256)]
    public void Struct_has_the_SDK_size(Type type, int expected)
    {
        int size = (int)typeof(System.Runtime.CompilerServices.Unsafe).GetMethod("SizeOf")!.MakeGenericMethod(type).Invoke(null, null)!;
        Assert.Equal(expected, size);
    }

    [Fact]
    public void PFactoryInfo_offsets()
    {
        PFactoryInfo s; var p = &s;
        Assert.Equal(0, Off(p, &p->Vendor));
        Assert.Equal(64, Off(p, &p->Url));
        Assert.Equal(320, Off(p, &p->Email));
        Assert.Equal(448, Off(p, &p->Flags));
    }

    [Fact]
    public void PClassInfo_offsets()
    {
        PClassInfo s; var p = &s;
        Assert.Equal(0, Off(p, &p->Cid));
        Assert.Equal(16, Off(p, &p->Cardinality));
        Assert.Equal(20, Off(p, &p->Category));
        Assert.Equal(52, Off(p, &p->Name));
    }

    [Fact]
    public void PClassInfo2_offsets()
    {
        PClassInfo2 s; var p = &s;
        Assert.Equal(0, Off(p, &p->Cid));
        Assert.Equal(16, Off(p, &p->Cardinality));
        Assert.Equal(20, Off(p, &p->Category));
        Assert.Equal(52, Off(p, &p->Name));
        Assert.Equal(116, Off(p, &p->ClassFlags));
        Assert.Equal(120, Off(p, &p->SubCategories));
        Assert.Equal(248, Off(p, &p->Vendor));
        Assert.Equal(312, Off(p, &p->Version));
        Assert.Equal(376, Off(p, &p->SdkVersion));
    }

    [Fact]
    public void PClassInfoW_offsets()
    {
        PClassInfoW s; var p = &s;
        Assert.Equal(0, Off(p, &p->Cid));
        Assert.Equal(16, Off(p, &p->Cardinality));
        Assert.Equal(20, Off(p, &p->Category));
        Assert.Equal(52, Off(p, &p->Name));
        Assert.Equal(180, Off(p, &p->ClassFlags));
        Assert.Equal(184, Off(p, &p->SubCategories));
        Assert.Equal(312, Off(p, &p->Vendor));
        Assert.Equal(440, Off(p, &p->Version));
        Assert.Equal(568, Off(p, &p->SdkVersion));
    }

    [Fact]
    public void BusInfo_and_RoutingInfo_offsets()
    {
        BusInfo b; var p = &b;
        Assert.Equal(0, Off(p, &p->MediaType));
        Assert.Equal(4, Off(p, &p->Direction));
        Assert.Equal(8, Off(p, &p->ChannelCount));
        Assert.Equal(12, Off(p, &p->Name));
        Assert.Equal(268, Off(p, &p->BusType));
        Assert.Equal(272, Off(p, &p->Flags));

        RoutingInfo r; var q = &r;
        Assert.Equal(0, Off(q, &q->MediaType));
        Assert.Equal(4, Off(q, &q->BusIndex));
        Assert.Equal(8, Off(q, &q->Channel));
    }

    [Fact]
    public void ProcessSetup_offsets()
    {
        ProcessSetup s; var p = &s;
        Assert.Equal(0, Off(p, &p->ProcessMode));
        Assert.Equal(4, Off(p, &p->SymbolicSampleSize));
        Assert.Equal(8, Off(p, &p->MaxSamplesPerBlock));
        Assert.Equal(16, Off(p, &p->SampleRate));
    }

    [Fact]
    public void AudioBusBuffers_offsets_and_union()
    {
        AudioBusBuffers s; var p = &s;
        Assert.Equal(0, Off(p, &p->NumChannels));
        Assert.Equal(8, Off(p, &p->SilenceFlags));
        Assert.Equal(16, Off(p, &p->ChannelBuffers32));
        Assert.Equal(16, Off(p, &p->ChannelBuffers64));
        // One slot: writing the 64-bit view is visible through the 32-bit one.
        p->ChannelBuffers64 = (double**)0x1234;
        Assert.Equal((nint)0x1234, (nint)p->ChannelBuffers32);
    }

    [Fact]
    public void ProcessData_offsets()
    {
        ProcessData s; var p = &s;
        Assert.Equal(0, Off(p, &p->ProcessMode));
        Assert.Equal(4, Off(p, &p->SymbolicSampleSize));
        Assert.Equal(8, Off(p, &p->NumSamples));
        Assert.Equal(12, Off(p, &p->NumInputs));
        Assert.Equal(16, Off(p, &p->NumOutputs));
        Assert.Equal(24, Off(p, &p->Inputs));
        Assert.Equal(32, Off(p, &p->Outputs));
        Assert.Equal(40, Off(p, &p->InputParameterChanges));
        Assert.Equal(48, Off(p, &p->OutputParameterChanges));
        Assert.Equal(56, Off(p, &p->InputEvents));
        Assert.Equal(64, Off(p, &p->OutputEvents));
        Assert.Equal(72, Off(p, &p->ProcessContext));
    }

    [Fact]
    public void ProcessContext_offsets()
    {
        ProcessContext s; var p = &s;
        Assert.Equal(0, Off(p, &p->State));
        Assert.Equal(8, Off(p, &p->SampleRate));
        Assert.Equal(16, Off(p, &p->ProjectTimeSamples));
        Assert.Equal(24, Off(p, &p->SystemTime));
        Assert.Equal(32, Off(p, &p->ContinousTimeSamples));
        Assert.Equal(40, Off(p, &p->ProjectTimeMusic));
        Assert.Equal(48, Off(p, &p->BarPositionMusic));
        Assert.Equal(56, Off(p, &p->CycleStartMusic));
        Assert.Equal(64, Off(p, &p->CycleEndMusic));
        Assert.Equal(72, Off(p, &p->Tempo));
        Assert.Equal(80, Off(p, &p->TimeSigNumerator));
        Assert.Equal(84, Off(p, &p->TimeSigDenominator));
        Assert.Equal(88, Off(p, &p->Chord));
        Assert.Equal(92, Off(p, &p->SmpteOffsetSubframes));
        Assert.Equal(96, Off(p, &p->FrameRate));
        Assert.Equal(104, Off(p, &p->SamplesToNextClock));
        Chord c; var cp = &c;
        Assert.Equal(0, Off(cp, &cp->KeyNote));
        Assert.Equal(1, Off(cp, &cp->RootNote));
        Assert.Equal(2, Off(cp, &cp->ChordMask));
    }

    [Fact]
    public void ParameterInfo_offsets()
    {
        ParameterInfo s; var p = &s;
        Assert.Equal(0, Off(p, &p->Id));
        Assert.Equal(4, Off(p, &p->Title));
        Assert.Equal(260, Off(p, &p->ShortTitle));
        Assert.Equal(516, Off(p, &p->Units));
        Assert.Equal(772, Off(p, &p->StepCount));
        Assert.Equal(776, Off(p, &p->DefaultNormalizedValue));
        Assert.Equal(784, Off(p, &p->UnitId));
        Assert.Equal(788, Off(p, &p->Flags));
    }

    [Fact]
    public void Event_offsets_and_note_union_members()
    {
        Event s; var p = &s;
        Assert.Equal(0, Off(p, &p->BusIndex));
        Assert.Equal(4, Off(p, &p->SampleOffset));
        Assert.Equal(8, Off(p, &p->PpqPosition));
        Assert.Equal(16, Off(p, &p->Flags));
        Assert.Equal(18, Off(p, &p->Type));
        Assert.Equal(24, Off(p, &p->NoteOn));
        Assert.Equal(24, Off(p, &p->NoteOff));
        Assert.Equal(24, Off(p, &p->Data));
        Assert.Equal(24, Off(p, &p->MidiCCOut));

        Assert.Equal(24, Off(p, &p->NoteOn.Channel));
        Assert.Equal(26, Off(p, &p->NoteOn.Pitch));
        Assert.Equal(28, Off(p, &p->NoteOn.Tuning));
        Assert.Equal(32, Off(p, &p->NoteOn.Velocity));
        Assert.Equal(36, Off(p, &p->NoteOn.Length));
        Assert.Equal(40, Off(p, &p->NoteOn.NoteId));

        Assert.Equal(24, Off(p, &p->NoteOff.Channel));
        Assert.Equal(26, Off(p, &p->NoteOff.Pitch));
        Assert.Equal(28, Off(p, &p->NoteOff.Velocity));
        Assert.Equal(32, Off(p, &p->NoteOff.NoteId));
        Assert.Equal(36, Off(p, &p->NoteOff.Tuning));

        Assert.Equal(32, Off(p, &p->Data.Bytes));
        Assert.Equal(40, Off(p, &p->NoteExpressionText.Text));
        Assert.Equal(32, Off(p, &p->Chord.Text));
        Assert.Equal(32, Off(p, &p->Scale.Text));
        Assert.Equal(28, Off(p, &p->PolyPressure.Pressure));
        Assert.Equal(32, Off(p, &p->NoteExpressionValue.Value));
    }

    [Fact]
    public void Unit_struct_offsets()
    {
        UnitInfo u; var p = &u;
        Assert.Equal(0, Off(p, &p->Id));
        Assert.Equal(4, Off(p, &p->ParentUnitId));
        Assert.Equal(8, Off(p, &p->Name));
        Assert.Equal(264, Off(p, &p->ProgramListId));
        ProgramListInfo l; var q = &l;
        Assert.Equal(0, Off(q, &q->Id));
        Assert.Equal(4, Off(q, &q->Name));
        Assert.Equal(260, Off(q, &q->ProgramCount));
    }
}
