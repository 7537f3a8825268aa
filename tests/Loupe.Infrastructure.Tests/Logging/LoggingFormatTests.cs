using System.Text.Json;
using Loupe.Infrastructure.Logging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Serilog.Extensions.Logging;

namespace Loupe.Infrastructure.Tests.Logging;

public sealed class LoggingFormatTests
{
    [Fact]
    public void OutsideDevelopment_EachLineIsJsonWithScopeProperties()
    {
        using var output = new StringWriter();
        using (var factory = LoggerFactoryWriting(output, development: false))
        {
            var logger = factory.CreateLogger("Loupe.Test");
            using (logger.BeginScope(new Dictionary<string, object?> { ["RequestId"] = "req-1", ["TraceId"] = "abc" }))
            {
                logger.LogWarning("Refused {Thing}", "widget");
            }
        }

        var line = output.ToString().Trim().Split('\n').Single();
        var json = JsonDocument.Parse(line).RootElement;
        json.GetProperty("Level").GetString().ShouldBe("Warning");
        json.GetProperty("RenderedMessage").GetString()!.ShouldContain("widget");
        json.GetProperty("Properties").GetProperty("RequestId").GetString().ShouldBe("req-1");
        json.GetProperty("Properties").GetProperty("TraceId").GetString().ShouldBe("abc");
        json.GetProperty("Properties").GetProperty("SourceContext").GetString().ShouldBe("Loupe.Test");
    }

    [Fact]
    public void InDevelopment_LinesAreReadableTextWithTheRequestId()
    {
        using var output = new StringWriter();
        using (var factory = LoggerFactoryWriting(output, development: true))
        {
            var logger = factory.CreateLogger("Loupe.Test");
            using (logger.BeginScope(new Dictionary<string, object?> { ["RequestId"] = "req-2" }))
            {
                logger.LogInformation("Started {Thing}", "engine");
            }
        }

        var line = output.ToString().Trim();
        line.ShouldStartWith("[");
        line.ShouldContain("INF] Started engine req-2");
        Should.Throw<JsonException>(() => JsonDocument.Parse(line));
    }

    [Fact]
    public void Levels_ComeFromTheSerilogSection()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Serilog:MinimumLevel:Default"] = "Error" })
            .Build();
        using var output = new StringWriter();
        using (var factory = new SerilogLoggerFactory(LoupeLogging.CreateLogger(configuration, development: false, output), dispose: true))
        {
            var logger = factory.CreateLogger("Loupe.Test");
            logger.LogWarning("not written");
            logger.LogError("written");
        }

        output.ToString().ShouldNotContain("not written");
        output.ToString().ShouldContain("written");
    }

    private static SerilogLoggerFactory LoggerFactoryWriting(TextWriter output, bool development) =>
        new(LoupeLogging.CreateLogger(new ConfigurationBuilder().Build(), development, output), dispose: true);
}
