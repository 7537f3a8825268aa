using System.Text;
using System.Text.Json;
using Loupe.Application.Common.Jobs;
using Loupe.Infrastructure.Persistence.Configurations;

namespace Loupe.Infrastructure.Jobs;

/// <summary>What makes a <see cref="JobRequest"/> storable; a bad one is a programming error, refused at <c>Enqueue</c>.</summary>
internal static class JobRequests
{
    /// <summary>The largest payload, in UTF-8 bytes: ids and settings fit, result sets do not belong there.</summary>
    public const int MaxPayloadBytes = 64 * 1024;

    public const int MaxAttemptsLimit = 20;

    public static bool IsQueueName(string? name) => JobQueueNames.IsValid(name);

    public static void Check(JobRequest request)
    {
        if (!IsName(request.Kind, JobConfiguration.KindMaxLength))
        {
            throw new ArgumentException("A job kind is 1–100 lower-case letters, digits, '.', '-' or '_'.", nameof(request));
        }

        if (!IsQueueName(request.Queue))
        {
            throw new ArgumentException("A job queue is 1–64 lower-case letters, digits, '.', '-' or '_'.", nameof(request));
        }

        if (!Enum.IsDefined(request.Priority))
        {
            throw new ArgumentException("Unknown job priority.", nameof(request));
        }

        if (request.MaxAttempts is < 1 or > MaxAttemptsLimit)
        {
            throw new ArgumentException("A job's MaxAttempts must be between 1 and 20.", nameof(request));
        }

        if (request.UniqueKey is { } key && (key.Length is 0 or > JobConfiguration.UniqueKeyMaxLength))
        {
            throw new ArgumentException("A job's UniqueKey must be 1–200 characters.", nameof(request));
        }

        if (request.Payload is null || Encoding.UTF8.GetByteCount(request.Payload) > MaxPayloadBytes || !IsJson(request.Payload))
        {
            // The payload itself is never quoted: it may hold parameter values.
            throw new ArgumentException("A job's payload must be a JSON document of at most 64 KiB.", nameof(request));
        }
    }

    private static bool IsName(string? name, int maxLength) => JobQueueNames.IsName(name, maxLength);

    private static bool IsJson(string payload)
    {
        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(payload));
            while (reader.Read())
            {
            }

            return reader.BytesConsumed > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
