using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NPlug.Buffers.Concurrency;

/// <summary>
/// A bounded single-producer / single-consumer queue. Both ends are wait-free (no loop, no lock, no allocation), so
/// either may be the audio thread. Exactly one thread pushes and exactly one thread pops.
/// </summary>
/// <remarks>
/// The capacity is a power of two so an index maps to a slot with a mask. The producer's and the consumer's indices live on
/// separate cache lines, and each side caches the other's last seen index so it reads the shared line only when its
/// cached view says full (producer) or empty (consumer).
/// A full ring makes <see cref="TryPush"/> return false; the item is not stored and the caller decides what a drop
/// means (count it, keep the newest elsewhere, ...).
/// </remarks>
public sealed class SpscRing<T>
{
    private readonly T[] _items;
    private readonly int _mask;

    private SpscLine _producer; // Value = next index to write; Cached = last consumer index seen
    private SpscLine _consumer; // Value = next index to read;  Cached = last producer index seen

    /// <param name="capacity">Requested slots; rounded up to a power of two (at least 2).</param>
    public SpscRing(int capacity)
    {
        if (capacity <= 0 || capacity > (1 << 30)) throw new ArgumentOutOfRangeException(nameof(capacity));
        int size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(2, capacity));
        _items = new T[size];
        _mask = size - 1;
    }

    public int Capacity => _items.Length;

    /// <summary>Items waiting (exact from either end when the other is idle; a snapshot otherwise).</summary>
    public int Count => (int)(Volatile.Read(ref _producer.Value) - Volatile.Read(ref _consumer.Value));

    public bool IsEmpty => Count == 0;

    /// <summary>Producer only. Stores <paramref name="item"/>, or returns false when the ring is full.</summary>
    public bool TryPush(in T item)
    {
        long write = _producer.Value;
        if (write - _producer.Cached >= _items.Length)
        {
            _producer.Cached = Volatile.Read(ref _consumer.Value);
            if (write - _producer.Cached >= _items.Length) return false;
        }

        _items[(int)write & _mask] = item;
        // Release: the item is visible before the consumer can see the new index.
        Volatile.Write(ref _producer.Value, write + 1);
        return true;
    }

    /// <summary>Consumer only. Takes the oldest item, or returns false when the ring is empty.</summary>
    public bool TryPop(out T item)
    {
        if (!TryPeek(out item)) return false;
        long read = _consumer.Value;
        // Drop the ring's reference so a retired object is not kept alive by an old slot.
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>()) _items[(int)read & _mask] = default!;
        Volatile.Write(ref _consumer.Value, read + 1);
        return true;
    }

    /// <summary>Consumer only. Reads the oldest item without removing it.</summary>
    public bool TryPeek(out T item)
    {
        long read = _consumer.Value;
        if (read >= _consumer.Cached)
        {
            _consumer.Cached = Volatile.Read(ref _producer.Value);
            if (read >= _consumer.Cached)
            {
                item = default!;
                return false;
            }
        }

        item = _items[(int)read & _mask];
        return true;
    }
}

/// <summary>
/// One side's index and its cached copy of the other side's index, padded so that no other field shares their
/// cache lines (the producer's and the consumer's lines never ping-pong on writes they do not need).
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 192)]
internal struct SpscLine
{
    [FieldOffset(64)] public long Value;
    [FieldOffset(128)] public long Cached;
}
