using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Loupe.Infrastructure.Configuration;

/// <summary>
/// The one way options are checked at start-up: an options class lists every problem it has
/// (each naming its key), and a start with any problem stops with all of them at once, so one
/// failed start tells the operator everything to fix.
/// </summary>
public static class ProblemsValidation
{
    public static OptionsBuilder<TOptions> ValidateProblems<TOptions>(
        this OptionsBuilder<TOptions> builder, Func<TOptions, IEnumerable<string>> problems)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IValidateOptions<TOptions>>(new ProblemsValidator<TOptions>(problems));
        return builder.ValidateOnStart();
    }

    /// <summary>For options whose problems depend on a service, such as the host environment.</summary>
    public static OptionsBuilder<TOptions> ValidateProblems<TOptions, TDependency>(
        this OptionsBuilder<TOptions> builder, Func<TOptions, TDependency, IEnumerable<string>> problems)
        where TOptions : class
        where TDependency : notnull
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IValidateOptions<TOptions>>(provider =>
        {
            var dependency = provider.GetRequiredService<TDependency>();
            return new ProblemsValidator<TOptions>(options => problems(options, dependency));
        });
        return builder.ValidateOnStart();
    }

    private sealed class ProblemsValidator<TOptions>(Func<TOptions, IEnumerable<string>> problems) : IValidateOptions<TOptions>
        where TOptions : class
    {
        public ValidateOptionsResult Validate(string? name, TOptions options)
        {
            var found = problems(options).ToList();
            return found.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(found);
        }
    }
}
