namespace NPlug.Buffers.Concurrency;

/// <summary>
/// Hands the latest complete value from one writer thread to one reader thread. Neither side ever waits: each owns one
/// of three slots, and the third is swapped with a single atomic exchange. The reader never sees a value the writer is
/// still writing (never torn) and always gets the most recently published one.
/// </summary>
/// <remarks>
/// Writer: fill <see cref="WriteBuffer"/> (or call <see cref="Publish(in T)"/>), then <see cref="Publish()"/>.
/// Reader: <see cref="Read"/> returns a reference that stays valid and unchanged until the reader's next
/// <see cref="Read"/>. For reference-type or array payloads the three slots are three separate instances: do not
/// share one object between them. Both sides are audio-safe (wait-free, no allocation).
/// </remarks>
public sealed class TripleBuffer<T>
{
    private const int NewData = 4;
    private const int IndexMask = 3;

    private readonly T[] _slots = new T[3];
    private int _writeIndex;
    private int _readIndex = 2;
    private int _middle = 1; // index of the shared slot, plus NewData when it holds an unread publication
    private long _published;

    public TripleBuffer()
    {
    }

    /// <summary>Starts all three slots from <paramref name="initial"/> (for value types a copy each).</summary>
    public TripleBuffer(T initial)
    {
        _slots[0] = initial;
        _slots[1] = initial;
        _slots[2] = initial;
    }

    /// <summary>Starts from three separate instances, e.g. three pre-sized arrays.</summary>
    public TripleBuffer(T first, T second, T third)
    {
        _slots[0] = first;
        _slots[1] = second;
        _slots[2] = third;
    }

    /// <summary>Writer only. The slot the writer fills next; the reader cannot see it until <see cref="Publish()"/>.</summary>
    public ref T WriteBuffer => ref _slots[_writeIndex];

    /// <summary>Writer only. Makes the write slot the latest value and takes the old shared slot to write into next.</summary>
    public void Publish()
    {
        // The exchange is a full fence: everything written to the slot happens-before the reader's exchange that takes it.
        int old = Interlocked.Exchange(ref _middle, _writeIndex | NewData);
        _writeIndex = old & IndexMask;
        Interlocked.Increment(ref _published);
    }

    /// <summary>Writer only. Copies <paramref name="value"/> into the write slot and publishes it.</summary>
    public void Publish(in T value)
    {
        _slots[_writeIndex] = value;
        Publish();
    }

    /// <summary>Reader only. True when a value was published since the reader last took one.</summary>
    public bool HasNewData => (Volatile.Read(ref _middle) & NewData) != 0;

    /// <summary>Number of publications so far (diagnostics).</summary>
    public long PublishedCount => Interlocked.Read(ref _published);

    /// <summary>
    /// Reader only. The latest published value (or the initial one if nothing was published yet). The reference stays
    /// valid until the next <see cref="Read"/>.
    /// </summary>
    public ref readonly T Read()
    {
        if ((Volatile.Read(ref _middle) & NewData) != 0)
        {
            int old = Interlocked.Exchange(ref _middle, _readIndex);
            _readIndex = old & IndexMask;
        }

        return ref _slots[_readIndex];
    }

    /// <summary>Reader only. Like <see cref="Read"/> but only when something new arrived.</summary>
    public bool TryReadNew(out T value)
    {
        if ((Volatile.Read(ref _middle) & NewData) == 0)
        {
            value = _slots[_readIndex];
            return false;
        }

        value = Read();
        return true;
    }
}
