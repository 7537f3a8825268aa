using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;

namespace Loupe.Api.Http;

/// <summary>
/// Response compression (gzip, Brotli) for the endpoints that carry a run's result and nothing secret:
/// result pages and exports opt in with <see cref="Allowed"/>; every other response, sign-in and token
/// answers above all, is never compressed, so that a compressed length cannot leak a secret (BREACH, ADR 0044).
/// </summary>
internal sealed class ResultCompression
{
    /// <summary>The endpoint metadata that allows compressing its responses.</summary>
    public static ResultCompression Allowed { get; } = new();

    private ResultCompression()
    {
    }

    public static IServiceCollection AddLoupeResultCompression(IServiceCollection services) =>
        services
            .AddResponseCompression(options =>
            {
                // Only for the endpoints above: safe over HTTPS as they hold no secret next to what a request reflects.
                options.EnableForHttps = true;
                options.Providers.Add<BrotliCompressionProvider>();
                options.Providers.Add<GzipCompressionProvider>();
                options.MimeTypes = ["text/csv", "application/json", "application/problem+json"];
            })

            // The fastest levels: exports are streamed as they are read, and compressing must keep up.
            .Configure<BrotliCompressionProviderOptions>(options => options.Level = CompressionLevel.Fastest)
            .Configure<GzipCompressionProviderOptions>(options => options.Level = CompressionLevel.Fastest);

    public static void UseLoupeResultCompression(WebApplication app) =>
        app.UseWhen(
            context => context.GetEndpoint()?.Metadata.GetMetadata<ResultCompression>() is not null,
            branch => branch.UseResponseCompression());
}
