using System.Globalization;
using System.Text.Json;
using Loupe.Infrastructure.Logging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace Loupe.Infrastructure.Tests.Logging;

/// <summary>The logging of a host as <see cref="LoupeLogging.AddLoupeLogging"/> sets it up, with its lines written to a string.</summary>
public sealed class LoggingFormatTests
{
    [Fact]
    public void OutsideDevelopment_EachLineIsJsonWithScopeProperties()
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using (var services = HostLogging(output, Environments.Production))
        {
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Loupe.Test");
            using (logger.BeginScope(new Dictionary<string, object?> { ["RequestId"] = "req-1", ["TraceId"] = "abc" }))
            {
                logger.LogWarning("Refused {Thing}", "widget");
            }
        }

        var line = output.ToString().Trim().Split('\n').Single();
        var json = JsonDocument.Parse(line).RootElement;
        json.GetProperty("@l").GetString().ShouldBe("Warning");
        json.GetProperty("@m").GetString()!.ShouldContain("widget");
        json.GetProperty("@t").GetString()!.ShouldEndWith("Z");
        json.GetProperty("RequestId").GetString().ShouldBe("req-1");
        json.GetProperty("TraceId").GetString().ShouldBe("abc");
        json.GetProperty("SourceContext").GetString().ShouldBe("Loupe.Test");
    }

    [Fact]
    public void InDevelopment_LinesAreReadableTextWithTheRequestId()
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using (var services = HostLogging(output, Environments.Development))
        {
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Loupe.Test");
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
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using (var services = HostLogging(output, Environments.Production, new Dictionary<string, string?> { ["Serilog:MinimumLevel:Default"] = "Error" }))
        {
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Loupe.Test");
            logger.LogWarning("not written");
            logger.LogError("written");
        }

        output.ToString().ShouldNotContain("not written");
        output.ToString().ShouldContain("written");
    }

    [Fact]
    public void TheFrameworksProviders_AreReplaced_AndProvidersAddedLater_ReceiveEveryLine()
    {
        var earlier = new Loupe.Integration.Tests.Support.CapturedLogs();
        var later = new Loupe.Integration.Tests.Support.CapturedLogs();
        var services = new ServiceCollection().AddLogging(logging => logging.AddProvider(earlier));
        services.AddLoupeLogging(new ConfigurationBuilder().Build(), new HostingEnvironment { EnvironmentName = Environments.Production });
        services.AddLogging(logging => logging.AddProvider(later));
        using (var provider = services.BuildServiceProvider())
        {
            provider.GetRequiredService<ILoggerFactory>().CreateLogger("Loupe.Test").LogWarning("Refused {Thing}", "widget");
        }

        earlier.Lines.ShouldBeEmpty();
        later.Lines.Single().Level.ShouldBe(LogLevel.Warning);
    }

    /// <summary>
    /// The services of a host with Loupe's logging, whose lines also go to <paramref name="output"/>
    /// in the format of its environment (a sink registered as a service joins the logger).
    /// </summary>
    private static ServiceProvider HostLogging(TextWriter output, string environment, Dictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? []).Build();
        IHostEnvironment hostEnvironment = new HostingEnvironment { EnvironmentName = environment };
        return new ServiceCollection()
            .AddLoupeLogging(configuration, hostEnvironment)
            .AddSingleton<ILogEventSink>(new WritingSink(LoupeLogging.LineFormatter(hostEnvironment.IsDevelopment()), output))
            .BuildServiceProvider();
    }

    /// <summary>Writes each event with the host's formatter, as the console sink does to standard output.</summary>
    private sealed class WritingSink(ITextFormatter formatter, TextWriter output) : ILogEventSink
    {
        public void Emit(LogEvent logEvent)
        {
            lock (output)
            {
                formatter.Format(logEvent, output);
            }
        }
    }
}
