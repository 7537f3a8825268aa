using System.Buffers;

namespace Loupe.Infrastructure.Results;

/// <summary>One decompressed chunk at a time: an array from the shared pool, replaced by a larger one only when a chunk needs it.</summary>
internal sealed class ChunkBuffer : IDisposable
{
    private byte[] _array = [];

    /// <summary>Room for <paramref name="length"/> bytes; what it held before is gone.</summary>
    public Memory<byte> Reserve(int length)
    {
        if (_array.Length < length)
        {
            Release();
            _array = ArrayPool<byte>.Shared.Rent(length);
        }

        return _array.AsMemory(0, length);
    }

    public ReadOnlySpan<byte> Span(int length) => _array.AsSpan(0, length);

    public void Dispose() => Release();

    private void Release()
    {
        if (_array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_array);
            _array = [];
        }
    }
}
