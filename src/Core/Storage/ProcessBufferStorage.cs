using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NPlug.Buffers.Buses;

namespace NPlug.Buffers.Storage;

/// <summary>
/// Pre-allocated channel-pointer lists (and the few substitute buffers a host can force on a plugin), sized
/// exactly from a <see cref="BusConfiguration"/> and a maximum block length, so the audio callback only
/// copies pointers. <typeparamref name="T"/> is <see cref="float"/> or <see cref="double"/>.
/// </summary>
/// <remarks>
/// <para>Lifecycle: construct or <see cref="Reconfigure"/> while processing is stopped (VST3
/// <c>setupProcessing</c>/<c>setActive</c>); per block, <see cref="Clear"/>, then <see cref="CollectInput"/> /
/// <see cref="CollectOutput"/> for each host bus, then read the views (<see cref="MainInput"/>,
/// <see cref="MainOutput"/>, <see cref="AuxInput"/>, <see cref="AuxOutput"/>). Clear, collect and the views
/// never allocate, lock or throw on any host input. Not thread-safe: one audio thread owns an instance.</para>
/// <para>Allocation, all in native memory freed by <see cref="Dispose"/>:</para>
/// <list type="bullet">
/// <item>One block holding every pointer list: exactly one pointer per channel of each active bus, inputs and
/// outputs sized independently (mono in, stereo out = 3 pointers). A bus-less configuration allocates none.</item>
/// <item>Aux bus descriptors: a managed array per direction only when that direction has aux buses.</item>
/// <item>One 64-byte-aligned buffer block, only if the configuration can need a substitute: a zeroed scratch
/// buffer (max frames) when there is any input channel; a discard buffer (max frames) for an effect with
/// outputs; internal output buffers (max frames x output channels) for an instrument. They are sized at
/// configuration time rather than on first need, because first need happens on the audio thread.</item>
/// </list>
/// <para>Substitutes: a null input channel reads the shared scratch buffer, re-zeroed once per block for the
/// frames used (so a plugin that scribbles on its input cannot leak data into the next block); a null effect
/// output writes into one shared discard buffer (channels alias there; the data is thrown away anyway); a null
/// instrument output gets its own internal buffer per output channel. A host passing fewer channels than
/// configured is treated as passing nulls for the missing ones, so a collected view always has the configured
/// channel count.</para>
/// </remarks>
public sealed unsafe class ProcessBufferStorage<T> : IDisposable where T : unmanaged
{
    private const int BufferAlignment = 64;

    /// <summary>Largest block length accepted; keeps buffer sizes far from overflow.</summary>
    public const int MaxFramesLimit = 1 << 20;

    private BusConfiguration _configuration;
    private int _maxFrames;

    private T** _pointerBlock;
    private int _inputPointerCount;
    private int _outputPointerCount;

    private T* _bufferBlock;
    private T* _scratch;
    private T* _discard;
    private T* _internalOutputs;
    private long _bufferBlockBytes;

    private BusSlot _mainInput;
    private BusSlot _mainOutput;
    private BusSlot[]? _auxInputs;
    private BusSlot[]? _auxOutputs;
    private int _heapAllocations;

    // Clear() bumps the generation instead of touching every slot: O(1) however many buses there are.
    private long _generation = 1;
    private long _scratchGeneration;
    private int _scratchZeroedFrames;
    private bool _disposed;

    /// <summary>Allocates storage for <paramref name="configuration"/> and blocks of up to <paramref name="maxFrames"/> frames.</summary>
    public ProcessBufferStorage(BusConfiguration configuration, int maxFrames)
        : this(configuration, maxFrames, shareSilence: false)
    {
    }

    /// <param name="configuration">The buses.</param>
    /// <param name="maxFrames">The largest block.</param>
    /// <param name="shareSilence">
    /// Take the zeroed scratch (null inputs) and the discard buffer (null effect outputs) from one process-wide pair
    /// instead of allocating them per instance: with many instances they are the largest part of the storage, and no
    /// instance keeps data in them (inputs are only read, discarded output is never read). An instrument's internal
    /// outputs stay its own. <see cref="Footprint"/> then counts neither.
    /// </param>
    public ProcessBufferStorage(BusConfiguration configuration, int maxFrames, bool shareSilence)
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
            throw new NotSupportedException($"ProcessBufferStorage supports float and double samples, not {typeof(T).Name}.");
        ValidateMaxFrames(maxFrames);
        _shareSilence = shareSilence;
        Allocate(configuration, maxFrames);
    }

    private readonly bool _shareSilence;

    ~ProcessBufferStorage() => Free();

    public BusConfiguration Configuration => _configuration;

    public int MaxFrames => _maxFrames;

    public bool IsInstrument => _configuration.IsInstrument;

    public int AuxInputCount => _auxInputs?.Length ?? 0;

    public int AuxOutputCount => _auxOutputs?.Length ?? 0;

    /// <summary>What this instance allocated for its current configuration.</summary>
    public StorageFootprint Footprint
    {
        get
        {
            long scratch = _scratch == null || _shareSilence ? 0 : FrameBytes;
            long discard = _discard == null || _shareSilence ? 0 : FrameBytes;
            long internalOutputs = _internalOutputs == null ? 0 : FrameBytes * _configuration.OutputChannelCount;
            return new StorageFootprint(
                _inputPointerCount * sizeof(T*),
                _outputPointerCount * sizeof(T*),
                scratch,
                discard,
                internalOutputs,
                _bufferBlockBytes - scratch - discard - internalOutputs,
                _heapAllocations);
        }
    }

    private long FrameBytes => (long)_maxFrames * sizeof(T);

    /// <summary>
    /// Resizes for a new configuration or block length. Returns <c>true</c> if storage was reallocated,
    /// <c>false</c> if both were unchanged (then nothing happens, collected state included). Call only while
    /// processing is stopped.
    /// </summary>
    public bool Reconfigure(BusConfiguration configuration, int maxFrames)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ValidateMaxFrames(maxFrames);
        if (maxFrames == _maxFrames && configuration.Equals(_configuration)) return false;
        Free();
        Allocate(configuration, maxFrames);
        return true;
    }

    /// <summary>Forgets every collected bus in O(1); capacity and buffers are kept.</summary>
    public void Clear()
    {
        _generation++;
    }

    /// <summary>
    /// Collects input bus <paramref name="busIndex"/> (host order) from the host's channel-pointer array, in the
    /// shape of VST3's <c>AudioBusBuffers</c>: <paramref name="channels"/>[c] for c &lt; <paramref name="channelCount"/>.
    /// Null channels (or a null array) read the zeroed scratch buffer.
    /// </summary>
    public CollectResult CollectInput(int busIndex, T** channels, int channelCount, int frames, CollectOptions options = CollectOptions.None) =>
        Collect(BusDirection.Input, busIndex, channels, channelCount, frames, options);

    /// <summary>
    /// Collects output bus <paramref name="busIndex"/> (host order). Null channels write into the instrument's
    /// internal buffers, or for an effect into the discard buffer; with
    /// <see cref="CollectOptions.WriteBackSubstitutes"/> the host's null entries are pointed at those buffers.
    /// </summary>
    public CollectResult CollectOutput(int busIndex, T** channels, int channelCount, int frames, CollectOptions options = CollectOptions.None) =>
        Collect(BusDirection.Output, busIndex, channels, channelCount, frames, options);

    /// <summary>Collects one bus of either direction; see <see cref="CollectInput"/> and <see cref="CollectOutput"/>.</summary>
    public CollectResult Collect(BusDirection direction, int busIndex, T** channels, int channelCount, int frames, CollectOptions options = CollectOptions.None)
    {
        if (_disposed) return CollectResult.Disposed;
        ref BusSlot slot = ref SlotOf(direction, busIndex);
        if (Unsafe.IsNullRef(ref slot)) return CollectResult.UnknownBus;
        if (channelCount < 0) return CollectResult.InvalidChannelCount;
        if ((uint)frames > (uint)_maxFrames) return CollectResult.FrameCountOutOfRange;
        if (!slot.IsActive) return CollectResult.InactiveBus;
        if (channelCount > slot.Capacity) return CollectResult.TooManyChannels;

        bool writeBack = (options & CollectOptions.WriteBackSubstitutes) != 0 && channels != null;
        for (int c = 0; c < slot.Capacity; c++)
        {
            bool fromHost = channels != null && c < channelCount;
            T* pointer = fromHost ? channels[c] : null;
            if (pointer == null)
            {
                pointer = direction == BusDirection.Input
                    ? ZeroedScratch(frames)
                    : OutputSubstitute(slot.FirstChannel + c);
                if (writeBack && fromHost) channels[c] = pointer;
            }

            slot.Pointers[c] = pointer;
        }

        slot.Frames = frames;
        slot.Generation = _generation;
        return CollectResult.Ok;
    }

    /// <summary>The main input bus as collected this block; empty if there is none or it was not collected.</summary>
    public AudioBlock<T> MainInput => ViewOf(ref _mainInput);

    /// <summary>The main output bus as collected this block; empty if there is none or it was not collected.</summary>
    public AudioBlock<T> MainOutput => ViewOf(ref _mainOutput);

    /// <summary>Aux input <paramref name="auxIndex"/> (0 = first aux bus); empty if unknown or not collected.</summary>
    public AudioBlock<T> AuxInput(int auxIndex) =>
        _auxInputs is { } aux && (uint)auxIndex < (uint)aux.Length ? ViewOf(ref aux[auxIndex]) : AudioBlock<T>.Empty;

    /// <summary>Aux output <paramref name="auxIndex"/> (0 = first aux bus); empty if unknown or not collected.</summary>
    public AudioBlock<T> AuxOutput(int auxIndex) =>
        _auxOutputs is { } aux && (uint)auxIndex < (uint)aux.Length ? ViewOf(ref aux[auxIndex]) : AudioBlock<T>.Empty;

    /// <summary>A bus by host index and direction; empty if unknown or not collected.</summary>
    public AudioBlock<T> Bus(BusDirection direction, int busIndex)
    {
        ref BusSlot slot = ref SlotOf(direction, busIndex);
        return Unsafe.IsNullRef(ref slot) ? AudioBlock<T>.Empty : ViewOf(ref slot);
    }

    /// <summary>
    /// The raw view of a bus as collected this block: its pointer list, channel count and frames (all zero when the
    /// bus is unknown, inactive or not collected). The same as <see cref="Bus"/> without building a view, for callers
    /// that keep the collected views of a block (the view is valid until the next <see cref="Clear"/>).
    /// </summary>
    public void GetCollected(BusDirection direction, int busIndex, out T** pointers, out int channels, out int frames)
    {
        ref BusSlot slot = ref SlotOf(direction, busIndex);
        if (Unsafe.IsNullRef(ref slot) || slot.Generation != _generation || slot.Capacity == 0)
        {
            pointers = null;
            channels = 0;
            frames = 0;
            return;
        }
        pointers = slot.Pointers;
        channels = slot.Capacity;
        frames = slot.Frames;
    }

    /// <summary>
    /// True when main input channel <paramref name="channel"/> and main output channel <paramref name="channel"/>
    /// are the same host buffer (in-place processing), so writing the output destroys the input. Both main buses
    /// must have been collected this block. Substitutes never alias each other.
    /// </summary>
    public bool IsInPlace(int channel)
    {
        if (!IsCurrent(ref _mainInput) || !IsCurrent(ref _mainOutput)) return false;
        if ((uint)channel >= (uint)_mainInput.Capacity || (uint)channel >= (uint)_mainOutput.Capacity) return false;
        return _mainInput.Pointers[channel] == _mainOutput.Pointers[channel];
    }

    /// <summary>Bit c set when <see cref="IsInPlace"/>(c); 0 when nothing is in place.</summary>
    public ulong InPlaceChannelMask
    {
        get
        {
            ulong mask = 0;
            int shared = Math.Min(_mainInput.Capacity, _mainOutput.Capacity);
            for (int c = 0; c < shared; c++)
                if (IsInPlace(c)) mask |= 1UL << c;
            return mask;
        }
    }

    /// <summary>Where the pointer collected for a channel came from (diagnostics and tests).</summary>
    public ChannelSource GetChannelSource(BusDirection direction, int busIndex, int channel)
    {
        ref BusSlot slot = ref SlotOf(direction, busIndex);
        if (Unsafe.IsNullRef(ref slot) || !IsCurrent(ref slot) || (uint)channel >= (uint)slot.Capacity)
            return ChannelSource.NotCollected;
        T* pointer = slot.Pointers[channel];
        if (pointer == _scratch && _scratch != null) return ChannelSource.ZeroedScratch;
        if (pointer == _discard && _discard != null) return ChannelSource.Discard;
        if (_internalOutputs != null && pointer >= _internalOutputs
            && pointer < _internalOutputs + (long)_maxFrames * _configuration.OutputChannelCount)
            return ChannelSource.InternalOutput;
        return ChannelSource.Host;
    }

    /// <summary>Frees the native memory. Collect afterwards returns <see cref="CollectResult.Disposed"/>.</summary>
    public void Dispose()
    {
        Free();
        _disposed = true;
        GC.SuppressFinalize(this);
    }

    private T* ZeroedScratch(int frames)
    {
        if (_scratchGeneration != _generation)
        {
            _scratchGeneration = _generation;
            _scratchZeroedFrames = 0;
        }

        if (frames > _scratchZeroedFrames)
        {
            NativeMemory.Clear(_scratch + _scratchZeroedFrames, (nuint)((frames - _scratchZeroedFrames) * sizeof(T)));
            _scratchZeroedFrames = frames;
        }

        return _scratch;
    }

    private T* OutputSubstitute(int outputChannel) =>
        _internalOutputs != null ? _internalOutputs + (long)outputChannel * _maxFrames : _discard;

    private bool IsCurrent(ref BusSlot slot) => slot.Generation == _generation;

    private AudioBlock<T> ViewOf(ref BusSlot slot) =>
        slot.Generation == _generation && slot.Capacity > 0
            ? new AudioBlock<T>(slot.Pointers, slot.Capacity, slot.Frames)
            : AudioBlock<T>.Empty;

    private ref BusSlot SlotOf(BusDirection direction, int busIndex)
    {
        bool input = direction == BusDirection.Input;
        if (direction is not (BusDirection.Input or BusDirection.Output)) return ref Unsafe.NullRef<BusSlot>();
        int busCount = input ? _configuration.InputBusCount : _configuration.OutputBusCount;
        if ((uint)busIndex >= (uint)busCount) return ref Unsafe.NullRef<BusSlot>();
        int auxIndex = _configuration.AuxIndexOf(direction, busIndex);
        if (auxIndex < 0) return ref input ? ref _mainInput : ref _mainOutput;
        return ref (input ? _auxInputs! : _auxOutputs!)[auxIndex];
    }

    private void Allocate(BusConfiguration configuration, int maxFrames)
    {
        _configuration = configuration;
        _maxFrames = maxFrames;
        _heapAllocations = 0;
        _inputPointerCount = configuration.InputChannelCount;
        _outputPointerCount = configuration.OutputChannelCount;

        int pointerCount = _inputPointerCount + _outputPointerCount;
        if (pointerCount > 0)
        {
            _pointerBlock = (T**)NativeMemory.AllocZeroed((nuint)pointerCount, (nuint)sizeof(T*));
            _heapAllocations++;
        }

        // Lay the pointer lists out back to back: inputs bus by bus, then outputs.
        T** cursor = _pointerBlock;
        int channelBase = 0;
        _mainInput = default;
        _auxInputs = null;
        LayOut(configuration.Inputs, configuration.HasMainInput, ref _mainInput, ref _auxInputs, ref cursor, ref channelBase);
        channelBase = 0; // output channel numbering indexes the instrument's internal buffers
        _mainOutput = default;
        _auxOutputs = null;
        LayOut(configuration.Outputs, configuration.HasMainOutput, ref _mainOutput, ref _auxOutputs, ref cursor, ref channelBase);

        AllocateBuffers(configuration, maxFrames);
        _generation = 1;
        _scratchGeneration = 0;
        _scratchZeroedFrames = 0;
    }

    private void LayOut(ReadOnlySpan<BusInfo> buses, bool hasMain, ref BusSlot main, ref BusSlot[]? aux, ref T** cursor, ref int channelBase)
    {
        int auxCount = buses.Length - (hasMain ? 1 : 0);
        if (auxCount > 0)
        {
            aux = new BusSlot[auxCount];
            _heapAllocations++;
        }

        for (int i = 0; i < buses.Length; i++)
        {
            var slot = new BusSlot
            {
                Pointers = cursor,
                Capacity = buses[i].ActiveChannelCount,
                IsActive = buses[i].IsActive,
                FirstChannel = channelBase,
            };
            cursor += slot.Capacity;
            channelBase += slot.Capacity;
            if (hasMain && i == 0) main = slot;
            else aux![i - (hasMain ? 1 : 0)] = slot;
        }
    }

    private void AllocateBuffers(BusConfiguration configuration, int maxFrames)
    {
        long frameBytes = (long)maxFrames * sizeof(T);
        long scratchBytes = configuration.InputChannelCount > 0 ? frameBytes : 0;
        long discardBytes = !configuration.IsInstrument && configuration.OutputChannelCount > 0 ? frameBytes : 0;
        if (_shareSilence && (scratchBytes > 0 || discardBytes > 0))
        {
            SharedSilence<T>.Acquire(maxFrames, out T* zero, out T* discard);
            _scratch = scratchBytes > 0 ? zero : null;
            _discard = discardBytes > 0 ? discard : null;
            scratchBytes = 0;
            discardBytes = 0;
        }
        long internalBytes = configuration.IsInstrument ? frameBytes * configuration.OutputChannelCount : 0;

        long scratchOffset = 0;
        long discardOffset = AlignUp(scratchOffset + scratchBytes);
        long internalOffset = AlignUp(discardOffset + discardBytes);
        long total = internalBytes > 0 ? internalOffset + internalBytes : discardBytes > 0 ? discardOffset + discardBytes : scratchBytes;
        if (total == 0) return;

        byte* block = (byte*)NativeMemory.AlignedAlloc((nuint)total, BufferAlignment);
        NativeMemory.Clear(block, (nuint)total);
        _heapAllocations++;
        _bufferBlock = (T*)block;
        _bufferBlockBytes = total;
        if (!_shareSilence)
        {
            _scratch = scratchBytes > 0 ? (T*)(block + scratchOffset) : null;
            _discard = discardBytes > 0 ? (T*)(block + discardOffset) : null;
        }
        _internalOutputs = internalBytes > 0 ? (T*)(block + internalOffset) : null;
    }

    private static long AlignUp(long bytes) => (bytes + BufferAlignment - 1) & ~(long)(BufferAlignment - 1);

    private void Free()
    {
        if (_pointerBlock != null) NativeMemory.Free(_pointerBlock);
        if (_bufferBlock != null) NativeMemory.AlignedFree(_bufferBlock);
        _pointerBlock = null;
        _bufferBlock = null;
        _scratch = null;
        _discard = null;
        _internalOutputs = null;
        _bufferBlockBytes = 0;
        _inputPointerCount = 0;
        _outputPointerCount = 0;
        _mainInput = default;
        _mainOutput = default;
        _auxInputs = null;
        _auxOutputs = null;
        _heapAllocations = 0;
        _configuration = default;
    }

    private static void ValidateMaxFrames(int maxFrames)
    {
        if (maxFrames < 1 || maxFrames > MaxFramesLimit)
            throw new ArgumentOutOfRangeException(nameof(maxFrames), maxFrames, $"Max frames must be 1..{MaxFramesLimit}.");
    }

    /// <summary>One bus's pointer list within the shared pointer block.</summary>
    private struct BusSlot
    {
        public T** Pointers;
        public int Capacity;
        public int Frames;
        public long Generation;
        public bool IsActive;

        /// <summary>Index of this bus's first channel among all channels of its direction.</summary>
        public int FirstChannel;
    }
}

/// <summary>
/// The process-wide zeroed scratch and discard buffer that storages made with <c>shareSilence</c> point at. They only
/// grow (to the largest block any instance declared), and a block they outgrow is kept, because storages made earlier
/// still point into it; growth doubles, so what is kept stays under twice the largest. Allocated off the audio thread.
/// </summary>
internal static unsafe class SharedSilence<T> where T : unmanaged
{
    private static readonly object Gate = new();
    private static T* s_zero;
    private static T* s_discard;
    private static int s_frames;

    public static void Acquire(int frames, out T* zero, out T* discard)
    {
        lock (Gate)
        {
            if (frames > s_frames)
            {
                int n = Math.Max(frames, s_frames * 2);
                nuint bytes = (nuint)n * (nuint)sizeof(T);
                s_zero = (T*)NativeMemory.AlignedAlloc(bytes, 64);
                NativeMemory.Clear(s_zero, bytes);
                s_discard = (T*)NativeMemory.AlignedAlloc(bytes, 64);
                NativeMemory.Clear(s_discard, bytes);
                s_frames = n;
            }
            zero = s_zero;
            discard = s_discard;
        }
    }
}
