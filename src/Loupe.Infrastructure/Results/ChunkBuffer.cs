using System.Buffers;

namespace Loupe.Infrastructure.Results;

/// <summary>
/// One decompressed chunk at a time: an array from the shared pool, replaced by a larger one only when a
/// chunk needs it. A chunk larger than <see cref="MaxPooledBytes"/> (a row of huge values) gets an array of
/// its own that the collector takes back, instead of one the shared pool would keep for the process's life.
/// </summary>
internal sealed class ChunkBuffer : IDisposable
{
    /// <summary>Ordinary chunks (at most 512 KiB of cells plus one row) come from the pool.</summary>
    public const int MaxPooledBytes = 1 << 20;

    private byte[] _array = [];
    private bool _pooled;

    /// <summary>Room for <paramref name="length"/> bytes; what it held before is gone.</summary>
    public Memory<byte> Reserve(int length)
    {
        if (_array.Length < length)
        {
            Release();
            _pooled = length <= MaxPooledBytes;
            _array = _pooled ? ArrayPool<byte>.Shared.Rent(length) : GC.AllocateUninitializedArray<byte>(length);
        }

        return _array.AsMemory(0, length);
    }

    public ReadOnlySpan<byte> Span(int length) => _array.AsSpan(0, length);

    public void Dispose() => Release();

    private void Release()
    {
        if (_pooled)
        {
            ArrayPool<byte>.Shared.Return(_array);
        }

        _array = [];
        _pooled = false;
    }
}
