using System.Security.Cryptography;
using Loupe.Application.Common.Security;
using Loupe.Infrastructure.Configuration;
using Loupe.Infrastructure.Security.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Loupe.Infrastructure.Tests.Secrets;

public sealed class SecretProtectionServicesTests
{
    private static readonly string Key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void ConfiguredKeys_AreUsed()
    {
        using var provider = ProviderWith(new() { ["Secrets:ActiveKeyId"] = "2026-01", ["Secrets:Keys:2026-01"] = Key }, "Production", new LogSink());

        provider.GetRequiredService<IStartupValidator>().Validate();
        var protector = provider.GetRequiredService<ISecretProtector>();
        protector.CurrentKeyId.ShouldBe("2026-01");
        protector.Unprotect(protector.Protect("pw")).ShouldBe("pw");
    }

    [Fact]
    public void OutsideDevelopment_AMissingKey_StopsStartUpNamingActiveKeyId()
    {
        using var provider = ProviderWith([], "Production", new LogSink());

        var refused = Should.Throw<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        refused.Failures.ShouldHaveSingleItem().ShouldContain("Secrets:ActiveKeyId");
    }

    [Fact]
    public void BrokenKeys_AreAllNamed()
    {
        using var provider = ProviderWith(
            new()
            {
                ["Secrets:ActiveKeyId"] = "missing",
                ["Secrets:Keys:short"] = Convert.ToBase64String(new byte[16]),
                ["Secrets:Keys:notbase64"] = "***",
            },
            "Production",
            new LogSink());

        var failures = Should.Throw<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate()).Failures.ToList();

        failures.Count.ShouldBe(3);
        failures.ShouldContain(failure => failure.Contains("Secrets:Keys:missing is not set", StringComparison.Ordinal));
        failures.ShouldContain(failure => failure.Contains("Secrets:Keys:short", StringComparison.Ordinal));
        failures.ShouldContain(failure => failure.Contains("Secrets:Keys:notbase64", StringComparison.Ordinal));
    }

    [Fact]
    public void InDevelopment_AMissingKey_IsGenerated_WithAWarningThatDoesNotShowIt()
    {
        var sink = new LogSink();
        using var provider = ProviderWith([], "Development", sink);

        provider.GetRequiredService<IStartupValidator>().Validate();
        var protector = provider.GetRequiredService<ISecretProtector>();

        protector.CurrentKeyId.ShouldBe("development");
        protector.Unprotect(protector.Protect("pw")).ShouldBe("pw");
        var warning = sink.Messages.ShouldHaveSingleItem();
        warning.Level.ShouldBe(LogLevel.Warning);
        warning.Text.ShouldContain("Secrets:ActiveKeyId");
        var key = provider.GetRequiredService<IOptions<SecretProtectionOptions>>().Value.Keys["development"];
        warning.Text.ShouldNotContain(key);
    }

    [Fact]
    public void KeysFromSecretFiles_AreRead_AndTheRawFileVariableIsNotTakenForAKey()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, Key + "\n");
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Secrets:ActiveKeyId"] = "filed",

                    // What the environment-variable provider itself makes of Secrets__Keys__filed_FILE.
                    ["Secrets:Keys:filed_FILE"] = file,
                })
                .AddSecretFiles(new Dictionary<string, string> { ["Secrets__Keys__filed_FILE"] = file })
                .Build();
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddSingleton<IHostEnvironment>(new TestEnvironment());
            services.AddSecretProtection(configuration);
            using var provider = services.BuildServiceProvider();

            provider.GetRequiredService<IStartupValidator>().Validate();
            var protector = provider.GetRequiredService<ISecretProtector>();
            protector.CurrentKeyId.ShouldBe("filed");
            protector.Unprotect(protector.Protect("pw")).ShouldBe("pw");
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static ServiceProvider ProviderWith(Dictionary<string, string?> settings, string environment, LogSink sink)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(sink));
        services.AddSingleton<IHostEnvironment>(new TestEnvironment { EnvironmentName = environment });
        services.AddSecretProtection(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private sealed class TestEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Production";

        public string ApplicationName { get; set; } = "Loupe.Tests";

        public string ContentRootPath { get; set; } = Path.GetTempPath();

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }

    private sealed class LogSink : ILoggerProvider, ILogger
    {
        public List<(LogLevel Level, string Text)> Messages { get; } = [];

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Add((logLevel, formatter(state, exception)));

        public void Dispose()
        {
        }
    }
}
