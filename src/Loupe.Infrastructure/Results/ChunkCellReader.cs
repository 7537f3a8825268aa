using System.Buffers;

namespace Loupe.Infrastructure.Results;

/// <summary>
/// Reads the cells of one stored chunk as they inflate, through a window of fixed size, so a page costs
/// the window and not the chunk: a chunk holding a 200 MB cell is read with the same memory as one of
/// small cells. A cell is taken whole when it fits the window, else only its first bytes are kept and the
/// rest is inflated and dropped.
/// </summary>
internal sealed class ChunkCellReader : IAsyncDisposable
{
    /// <summary>The smallest window: the inflater hands out about this much per read.</summary>
    public const int MinWindowBytes = 64 * 1024;

    private readonly byte[] _window;
    private Stream? _cells;
    private int _start;
    private int _end;

    /// <summary>Bytes of cells the header promised and the window has not taken in yet.</summary>
    private long _unread;

    /// <summary>The longest prefix of a cell the reader keeps while it drops the rest.</summary>
    private readonly int _maxKeep;

    /// <param name="maxKeep">The longest prefix the caller keeps of a cell.</param>
    public ChunkCellReader(int maxKeep)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxKeep);
        _maxKeep = maxKeep;

        // Room for the kept prefix and, after it, for what is read and dropped.
        _window = ArrayPool<byte>.Shared.Rent(maxKeep + MinWindowBytes);
    }

    /// <summary>Starts on the stored chunk <paramref name="data"/> (its compressed bytes); what the reader held before is dropped.</summary>
    /// <exception cref="InvalidDataException">The chunk is of an unknown format.</exception>
    public async ValueTask OpenAsync(Stream data, CancellationToken ct)
    {
        await CloseAsync().ConfigureAwait(false);
        var (length, cells) = await ChunkCompression.OpenAsync(data, ct).ConfigureAwait(false);
        _cells = cells;
        _unread = length;
        _start = 0;
        _end = 0;
    }

    /// <summary>The next cell's length in bytes, or -1 for SQL NULL; its bytes follow (<see cref="TakeAsync"/>, <see cref="SkipAsync"/>).</summary>
    /// <exception cref="InvalidDataException">The cells end, or hold a malformed length.</exception>
    public async ValueTask<int> NextCellAsync(CancellationToken ct)
    {
        await FillAsync(5, ct).ConfigureAwait(false);
        var position = _start;
        var encoded = CellEncoding.ReadVarint(_window.AsSpan(0, _end), ref position);
        if (encoded > int.MaxValue)
        {
            throw new InvalidDataException("A stored result chunk holds a malformed length.");
        }

        _start = position;
        return (int)encoded - 1;
    }

    /// <summary>
    /// Consumes the cell of <paramref name="length"/> bytes and answers its first <paramref name="keep"/>
    /// bytes (at most the window), valid until the next call.
    /// </summary>
    /// <exception cref="InvalidDataException">The cells end inside this one.</exception>
    public async ValueTask<ReadOnlyMemory<byte>> TakeAsync(int length, int keep, CancellationToken ct)
    {
        keep = Math.Clamp(keep, 0, length);
        if (keep == length && length <= _window.Length)
        {
            await FillAsync(length, ct).ConfigureAwait(false);
            return Consume(length);
        }

        if (keep > _maxKeep)
        {
            throw new ArgumentOutOfRangeException(nameof(keep), keep, "A kept prefix must fit the window.");
        }

        // The kept bytes go to the window's start; the rest of the cell passes through the room after them.
        Compact();
        await FillAsync(keep, ct).ConfigureAwait(false);
        var kept = Consume(keep);
        await DropAsync(length - keep, keptBefore: true, ct).ConfigureAwait(false);
        return kept;
    }

    /// <summary>Consumes the cell of <paramref name="length"/> bytes without looking at it.</summary>
    /// <exception cref="InvalidDataException">The cells end inside this one.</exception>
    public ValueTask SkipAsync(int length, CancellationToken ct) => length <= 0 ? ValueTask.CompletedTask : DropAsync(length, keptBefore: false, ct);

    public async ValueTask DisposeAsync()
    {
        await CloseAsync().ConfigureAwait(false);
        ArrayPool<byte>.Shared.Return(_window);
    }

    /// <summary>Drops the next <paramref name="count"/> bytes, reading them into the window's free room.</summary>
    /// <param name="keptBefore">
    /// Bytes before <see cref="_start"/> are still in use (a kept prefix, at the window's start), so the
    /// room is after them; otherwise the whole window is room.
    /// </param>
    private async ValueTask DropAsync(long count, bool keptBefore, CancellationToken ct)
    {
        var room = keptBefore ? _start : 0;
        var buffered = Math.Min(count, _end - _start);
        _start += (int)buffered;
        count -= buffered;
        if (count > 0)
        {
            // Everything buffered is dropped: the room from the kept prefix on is free again, however
            // full the window was (the kept prefix is at most the window less MinWindowBytes).
            _start = room;
            _end = room;
        }

        while (count > 0)
        {
            var size = (int)Math.Min(_window.Length - room, Math.Min(count, _unread));
            if (size <= 0 || _cells is null)
            {
                throw new InvalidDataException("A stored result chunk ends inside a cell.");
            }

            var read = await _cells.ReadAsync(_window.AsMemory(room, size), ct).ConfigureAwait(false);
            if (read == 0)
            {
                throw new InvalidDataException("A stored result chunk is shorter than its header says.");
            }

            _unread -= read;
            count -= read;
        }
    }

    /// <exception cref="InvalidDataException">Fewer than <paramref name="count"/> bytes are buffered: the cells ended.</exception>
    private ReadOnlyMemory<byte> Consume(int count)
    {
        if (_end - _start < count)
        {
            throw new InvalidDataException("A stored result chunk ends inside a cell.");
        }

        var bytes = _window.AsMemory(_start, count);
        _start += count;
        return bytes;
    }

    /// <summary>Moves the buffered bytes to the window's start.</summary>
    private void Compact()
    {
        if (_start > 0)
        {
            _window.AsSpan(_start, _end - _start).CopyTo(_window);
            _end -= _start;
            _start = 0;
        }
    }

    /// <summary>Makes at least <paramref name="wanted"/> bytes available from <see cref="_start"/>, or all that remain.</summary>
    private async ValueTask FillAsync(int wanted, CancellationToken ct)
    {
        if (_end - _start >= wanted || _unread == 0)
        {
            return;
        }

        if (_cells is null)
        {
            throw new InvalidOperationException("No chunk is open.");
        }

        if (_window.Length - _start < wanted)
        {
            Compact();
        }

        while (_end - _start < wanted && _unread > 0)
        {
            var room = (int)Math.Min(_window.Length - _end, _unread);
            var read = await _cells.ReadAsync(_window.AsMemory(_end, room), ct).ConfigureAwait(false);
            if (read == 0)
            {
                throw new InvalidDataException("A stored result chunk is shorter than its header says.");
            }

            _end += read;
            _unread -= read;
        }
    }

    private async ValueTask CloseAsync()
    {
        if (_cells is not null)
        {
            await _cells.DisposeAsync().ConfigureAwait(false);
            _cells = null;
        }
    }
}
