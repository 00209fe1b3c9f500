namespace NPlug.Buffers.Storage;

/// <summary>
/// What a <see cref="ProcessBufferStorage{T}"/> instance actually allocated, read from the instance itself.
/// </summary>
/// <param name="InputPointerBytes">Bytes of channel-pointer lists for all active input buses.</param>
/// <param name="OutputPointerBytes">Bytes of channel-pointer lists for all active output buses.</param>
/// <param name="ScratchBytes">Zeroed scratch buffer that stands in for null input channels (0 when there are no inputs).</param>
/// <param name="DiscardBytes">Discard buffer that stands in for null effect outputs (0 for instruments and output-less configs).</param>
/// <param name="InternalOutputBytes">Internal output buffers of an instrument (max frames x output channels; 0 for effects).</param>
/// <param name="PaddingBytes">Alignment padding between the buffer regions of the single buffer block.</param>
/// <param name="HeapAllocations">Heap blocks the storage made for this configuration (native blocks plus aux bus descriptor arrays).</param>
public readonly record struct StorageFootprint(
    int InputPointerBytes,
    int OutputPointerBytes,
    long ScratchBytes,
    long DiscardBytes,
    long InternalOutputBytes,
    long PaddingBytes,
    int HeapAllocations)
{
    /// <summary>Channel count a worst-case design reserves per direction.</summary>
    public const int WorstCaseChannelsPerDirection = 32;

    /// <summary>Worst-case pointer storage: 32 channels x 2 directions x pointer size (512 B on 64-bit).</summary>
    public static int WorstCasePointerBytes => WorstCaseChannelsPerDirection * 2 * IntPtr.Size;

    public int PointerBytes => InputPointerBytes + OutputPointerBytes;

    /// <summary>All sample-buffer bytes allocated, padding included.</summary>
    public long BufferBytes => ScratchBytes + DiscardBytes + InternalOutputBytes + PaddingBytes;

    public long TotalBytes => PointerBytes + BufferBytes;

    /// <summary>How many times smaller the pointer storage is than the worst case (∞ when nothing was needed).</summary>
    public double PointerSavingFactor => PointerBytes == 0 ? double.PositiveInfinity : (double)WorstCasePointerBytes / PointerBytes;
}
