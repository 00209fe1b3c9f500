using System.Diagnostics.CodeAnalysis;

namespace NPlug.Buffers.Pools;

/// <summary>
/// Sample buffers by id: one copy per id, shared by every source that plays it (seed 003, without its mutex on the
/// audio side).
/// </summary>
/// <remarks>
/// <para>The table is an immutable array sorted by id. Writers (non-audio threads) build a new array under a private
/// lock and publish it with one volatile write; readers take the current array with one volatile read and binary-search
/// it, so <see cref="TryAcquire"/> and <see cref="Contains"/> never block, allocate or see a half-built table.</para>
/// <para>The registry holds one reference to each registered buffer. Replacing or unregistering an id drops that
/// reference; the buffer stays alive for the sources still playing it and is queued for freeing when the last one
/// releases. Call <see cref="CollectRetired"/> from a non-audio thread to free what was retired.</para>
/// <para>Audio-safe: <see cref="TryAcquire"/>, <see cref="Contains"/>, <see cref="Count"/>, and
/// <see cref="SharedSampleBuffer.Release"/>. Non-audio: everything else.</para>
/// </remarks>
public sealed class SharedBufferRegistry : IDisposable
{
    /// <summary>First id handed out by <see cref="AllocateId"/> (ids below it are the caller's to choose).</summary>
    public const int FirstAllocatedId = 0x4000_0000;

    private static readonly SharedBufferRegistry s_module = new(isModule: true);

    private readonly object _writeLock = new();
    private readonly bool _isModule;
    private readonly Dictionary<string, KeyedEntry> _keyed = new(StringComparer.Ordinal);
    private Entry[] _entries = Array.Empty<Entry>();
    private int _nextId = FirstAllocatedId - 1;
    private bool _disposed;

    public SharedBufferRegistry()
    {
    }

    private SharedBufferRegistry(bool isModule) => _isModule = isModule;

    /// <summary>
    /// The module-wide registry: one per process, shared by every plugin instance, so identical content (a default
    /// sample, the same file loaded by two instances) is held once. Its <see cref="Dispose"/> does nothing; the module's
    /// maintenance worker (<see cref="ScratchMaintenance"/>) frees what it retires, off the audio thread.
    /// </summary>
    public static SharedBufferRegistry Module => s_module;

    /// <summary>A fresh id for this registry (thread-safe), at or above <see cref="FirstAllocatedId"/>.</summary>
    public int AllocateId() => Interlocked.Increment(ref _nextId);

    /// <summary>Distinct keys shared through <see cref="Share(string, int, int, double, Action{SharedSampleBuffer})"/> right now.</summary>
    public int SharedKeyCount
    {
        get
        {
            lock (_writeLock) return _keyed.Count;
        }
    }

    /// <summary>
    /// Non-audio thread: the sample known as <paramref name="key"/>, created and filled by <paramref name="fill"/> only
    /// if no holder has it now. Every caller gets its own <see cref="SharedSample"/> (a usage count on the key); the
    /// sample stays registered while one is undisposed, and its memory lives until the last voice playing it releases.
    /// Keys name content: the same key must always mean the same samples (e.g. a file path with its size and time).
    /// </summary>
    public SharedSample Share(string key, int channelCount, int frameCount, double sampleRate, Action<SharedSampleBuffer> fill)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(fill);
        lock (_writeLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_keyed.TryGetValue(key, out KeyedEntry? entry))
            {
                entry.Users++;
                return new SharedSample(this, key, entry.Buffer);
            }

            SharedSampleBuffer buffer = Allocate(AllocateId(), channelCount, frameCount, sampleRate);
            try
            {
                fill(buffer);
            }
            catch
            {
                buffer.Release();
                RetireQueue.CollectRetired();
                throw;
            }

            Register(buffer); // the registry's reference
            _keyed.Add(key, new KeyedEntry(buffer));
            return new SharedSample(this, key, buffer);
        }
    }

    /// <summary>
    /// Non-audio thread: shares planar samples by content. Two calls with equal samples (compared in full, not only by
    /// hash) get the same buffer; the second copies nothing.
    /// </summary>
    public SharedSample ShareContent(ReadOnlySpan<float> planar, int channelCount, int frameCount, double sampleRate)
    {
        if ((long)channelCount * frameCount != planar.Length) throw new ArgumentException("planar must hold channelCount x frameCount samples.", nameof(planar));
        var hash = new HashCode();
        hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(planar));
        string stem = $"content:{hash.ToHashCode():x8}:{channelCount}x{frameCount}@{sampleRate}";
        lock (_writeLock)
        {
            for (int n = 0; ; n++)
            {
                string key = n == 0 ? stem : stem + "#" + n;
                if (_keyed.TryGetValue(key, out KeyedEntry? entry) && !SameContent(entry.Buffer, planar, channelCount, frameCount))
                    continue; // a hash collision: try the next variant
                float[] copy = planar.ToArray();
                return Share(key, channelCount, frameCount, sampleRate, b => b.CopyFromPlanar(copy));
            }
        }
    }

    private static bool SameContent(SharedSampleBuffer buffer, ReadOnlySpan<float> planar, int channelCount, int frameCount)
    {
        if (buffer.ChannelCount != channelCount || buffer.FrameCount != frameCount) return false;
        for (int c = 0; c < channelCount; c++)
        {
            if (!buffer.GetChannel(c).SequenceEqual(planar.Slice(c * frameCount, frameCount))) return false;
        }

        return true;
    }

    internal void Unshare(string key, SharedSampleBuffer buffer)
    {
        bool unregister = false;
        lock (_writeLock)
        {
            if (!_keyed.TryGetValue(key, out KeyedEntry? entry) || !ReferenceEquals(entry.Buffer, buffer)) return;
            if (--entry.Users == 0)
            {
                _keyed.Remove(key);
                unregister = true;
            }
        }

        if (unregister) Unregister(buffer.Id);
    }

    private sealed class KeyedEntry
    {
        public KeyedEntry(SharedSampleBuffer buffer) => Buffer = buffer;

        public SharedSampleBuffer Buffer { get; }

        public int Users = 1;
    }

    /// <summary>The queue that buffers created by this registry retire into.</summary>
    public SampleRetireQueue RetireQueue { get; } = new();

    /// <summary>Registered ids (audio-safe snapshot).</summary>
    public int Count => Volatile.Read(ref _entries).Length;

    /// <summary>Native bytes of sample memory not freed yet: registered, still playing, or waiting in the retire queue.</summary>
    public long LiveBytes => RetireQueue.LiveBytes;

    /// <summary>
    /// Allocates a zeroed, unregistered buffer whose retirement goes to this registry's queue. Fill it with
    /// <see cref="SharedSampleBuffer.GetWritableChannel"/>, then pass it to <see cref="Register(SharedSampleBuffer)"/>
    /// (or to the audio thread directly). The caller holds one reference.
    /// </summary>
    public SharedSampleBuffer Allocate(int id, int channelCount, int frameCount, double sampleRate) =>
        new(id, channelCount, frameCount, sampleRate, RetireQueue);

    /// <summary>Copies planar samples (channel after channel) into a new buffer and registers it under <paramref name="id"/>.</summary>
    public SharedSampleBuffer Register(int id, ReadOnlySpan<float> planar, int channelCount, int frameCount, double sampleRate)
    {
        SharedSampleBuffer buffer = Allocate(id, channelCount, frameCount, sampleRate);
        try
        {
            buffer.CopyFromPlanar(planar);
        }
        catch
        {
            buffer.Release();
            RetireQueue.CollectRetired();
            throw;
        }

        Register(buffer);
        return buffer;
    }

    /// <summary>Copies interleaved samples into a new buffer and registers it under <paramref name="id"/>.</summary>
    public SharedSampleBuffer RegisterInterleaved(int id, ReadOnlySpan<float> interleaved, int channelCount, int frameCount, double sampleRate)
    {
        SharedSampleBuffer buffer = Allocate(id, channelCount, frameCount, sampleRate);
        try
        {
            buffer.CopyFromInterleaved(interleaved);
        }
        catch
        {
            buffer.Release();
            RetireQueue.CollectRetired();
            throw;
        }

        Register(buffer);
        return buffer;
    }

    /// <summary>
    /// Publishes <paramref name="buffer"/> under its <see cref="SharedSampleBuffer.Id"/>, taking over the caller's
    /// reference. A buffer already registered under that id is replaced and its registry reference dropped.
    /// </summary>
    public void Register(SharedSampleBuffer buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (buffer.IsRetired) throw new ArgumentException("The buffer was already released.", nameof(buffer));
        SharedSampleBuffer? replaced = null;
        lock (_writeLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Entry[] current = _entries;
            int at = Find(current, buffer.Id);
            Entry[] next;
            if (at >= 0)
            {
                replaced = current[at].Buffer;
                next = (Entry[])current.Clone();
                next[at] = new Entry(buffer.Id, buffer);
            }
            else
            {
                int insert = ~at;
                next = new Entry[current.Length + 1];
                Array.Copy(current, 0, next, 0, insert);
                next[insert] = new Entry(buffer.Id, buffer);
                Array.Copy(current, insert, next, insert + 1, current.Length - insert);
            }

            Volatile.Write(ref _entries, next);
        }

        replaced?.Release();
    }

    /// <summary>Removes <paramref name="id"/> and drops the registry's reference. False if it was not registered.</summary>
    public bool Unregister(int id)
    {
        SharedSampleBuffer removed;
        lock (_writeLock)
        {
            Entry[] current = _entries;
            int at = Find(current, id);
            if (at < 0) return false;
            removed = current[at].Buffer;
            Entry[] next = new Entry[current.Length - 1];
            Array.Copy(current, 0, next, 0, at);
            Array.Copy(current, at + 1, next, at, current.Length - at - 1);
            Volatile.Write(ref _entries, next);
        }

        removed.Release();
        return true;
    }

    /// <summary>
    /// Audio-safe lookup: on success <paramref name="buffer"/> carries a new reference the caller must
    /// <see cref="SharedSampleBuffer.Release"/>. Fails for an unknown id or a buffer that is being retired.
    /// </summary>
    public bool TryAcquire(int id, [NotNullWhen(true)] out SharedSampleBuffer? buffer)
    {
        Entry[] entries = Volatile.Read(ref _entries);
        int at = Find(entries, id);
        if (at >= 0 && entries[at].Buffer.TryAddRef())
        {
            buffer = entries[at].Buffer;
            return true;
        }

        buffer = null;
        return false;
    }

    /// <summary>Audio-safe: whether <paramref name="id"/> is registered right now.</summary>
    public bool Contains(int id) => Find(Volatile.Read(ref _entries), id) >= 0;

    /// <summary>Non-audio thread: frees the memory of every retired buffer; returns how many were freed.</summary>
    public int CollectRetired() => RetireQueue.CollectRetired();

    /// <summary>Unregisters everything and frees what is retired (buffers still held by sources are freed once they release).</summary>
    public void Dispose()
    {
        if (_isModule) return;
        Entry[] entries;
        lock (_writeLock)
        {
            if (_disposed) return;
            _keyed.Clear();
            _disposed = true;
            entries = _entries;
            Volatile.Write(ref _entries, Array.Empty<Entry>());
        }

        foreach (Entry entry in entries) entry.Buffer.Release();
        RetireQueue.CollectRetired();
    }

    private static int Find(Entry[] entries, int id)
    {
        int lo = 0;
        int hi = entries.Length - 1;
        while (lo <= hi)
        {
            int mid = (int)((uint)(lo + hi) >> 1);
            int key = entries[mid].Id;
            if (key == id) return mid;
            if (key < id) lo = mid + 1;
            else hi = mid - 1;
        }

        return ~lo;
    }

    private readonly struct Entry
    {
        public Entry(int id, SharedSampleBuffer buffer)
        {
            Id = id;
            Buffer = buffer;
        }

        public int Id { get; }

        public SharedSampleBuffer Buffer { get; }
    }
}
