using System.Diagnostics;

namespace Loupe.Integration.Tests.Support;

/// <summary>
/// A request sent as a client of its own trace would send it, from another process: with a W3C
/// <c>traceparent</c> naming that trace. In the test process a host's OpenTelemetry listens to every
/// <see cref="HttpClient"/> of the process, and the client's instrumentation would replace a
/// <c>traceparent</c> header set by hand with one of a trace of its own; sending from inside an activity
/// of the client's trace keeps the trace the host receives the client's.
/// </summary>
internal static class ClientTrace
{
    /// <summary>Adds the <c>traceparent</c> of <paramref name="traceId"/> to the request and sends it from within that trace.</summary>
    public static async Task<HttpResponseMessage> SendInTraceAsync(this HttpClient client, HttpRequestMessage request, ActivityTraceId traceId)
    {
        var parent = $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01";
        request.Headers.Add("traceparent", parent);
        using var activity = new Activity("loupe.tests.client").SetParentId(parent).Start();
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
