namespace Loupe.Application.Webhooks.Delivery;

/// <summary>How many deliveries this node sends at once (<c>Webhooks:MaxConcurrentDeliveries</c>); the others wait their turn.</summary>
public sealed class WebhookDeliveryLimiter(WebhookSettings settings) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(settings.MaxConcurrentDeliveries, settings.MaxConcurrentDeliveries);

    public async Task<IDisposable> EnterAsync(CancellationToken ct)
    {
        await _slots.WaitAsync(ct).ConfigureAwait(false);
        return new Slot(_slots);
    }

    public void Dispose() => _slots.Dispose();

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
