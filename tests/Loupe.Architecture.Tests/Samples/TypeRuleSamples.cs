// Types for the self-tests of the NetArchTest rules (TypeRuleSelfTests): in each namespace, one
// type per way to break the rule, and one or two that keep it. Each break is alone on its type,
// so a rule that lost one of its conditions fails its self-test.
using FluentValidation;
using Loupe.Application.Common.Security;
using Loupe.Domain.Common;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Loupe.Architecture.Tests.Samples.TypeRules.Layers
{
    /// <summary>Uses EF Core in a method body.</summary>
    internal static class UsesEfCore
    {
        public static object Options() => new DbContextOptionsBuilder();
    }

    /// <summary>Uses EF Core only inside a lambda, which the compiler moves into a nested type.</summary>
    internal static class UsesEfCoreInALambda
    {
        public static Func<object> Factory() => () => new DbContextOptionsBuilder();
    }

    /// <summary>Holds an Npgsql connection.</summary>
    internal sealed class UsesNpgsql(Npgsql.NpgsqlConnection connection)
    {
        public Npgsql.NpgsqlConnection Connection { get; } = connection;
    }

    /// <summary>Takes an ASP.NET Core type as a parameter.</summary>
    internal static class UsesAspNetCore
    {
        public static string PathOf(Microsoft.AspNetCore.Http.HttpContext context) => context.Request.Path.Value ?? string.Empty;
    }

    /// <summary>Carries an Application attribute.</summary>
    [Authorize]
    internal sealed class UsesApplication;

    /// <summary>Names an Infrastructure type.</summary>
    internal static class UsesInfrastructure
    {
        public static Type Services() => typeof(Loupe.Infrastructure.Security.SecurityServices);
    }

    /// <summary>Implements a MediatR interface.</summary>
    internal sealed record UsesMediatR : INotification;

    internal static class UsesOnlyTheBcl
    {
        public static string Greet(string name) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Hello, {name}");
    }
}

namespace Loupe.Architecture.Tests.Samples.TypeRules.Handlers
{
    public sealed record ThingQuery : IRequest<int>;

    public sealed record ThingHappened : INotification;

    /// <summary>Broken: public.</summary>
    public sealed class PublicThingHandler : IRequestHandler<ThingQuery, int>
    {
        public Task<int> Handle(ThingQuery request, CancellationToken cancellationToken) => Task.FromResult(1);
    }

    /// <summary>Broken: not sealed.</summary>
    internal class OpenThingHandler : IRequestHandler<ThingQuery, int>
    {
        public Task<int> Handle(ThingQuery request, CancellationToken cancellationToken) => Task.FromResult(2);
    }

    /// <summary>Broken: not named ...Handler.</summary>
    internal sealed class ThingHappenedReaction : INotificationHandler<ThingHappened>
    {
        public Task Handle(ThingHappened notification, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    internal sealed class GoodThingHandler : IRequestHandler<ThingQuery, int>
    {
        public Task<int> Handle(ThingQuery request, CancellationToken cancellationToken) => Task.FromResult(3);
    }

    internal sealed class ThingHappenedHandler : INotificationHandler<ThingHappened>
    {
        public Task Handle(ThingHappened notification, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

namespace Loupe.Architecture.Tests.Samples.TypeRules.Validators
{
    public sealed record ThingInput(string Name);

    /// <summary>Broken: public.</summary>
    public sealed class PublicThingValidator : AbstractValidator<ThingInput>
    {
        public PublicThingValidator() => RuleFor(x => x.Name).NotEmpty();
    }

    /// <summary>Broken: not sealed.</summary>
    internal class OpenThingValidator : AbstractValidator<ThingInput>
    {
        public OpenThingValidator() => RuleFor(x => x.Name).NotEmpty();
    }

    /// <summary>Broken: not named ...Validator.</summary>
    internal sealed class ThingInputRules : AbstractValidator<ThingInput>
    {
        public ThingInputRules() => RuleFor(x => x.Name).NotEmpty();
    }

    internal abstract class ThingValidatorBase : AbstractValidator<ThingInput>
    {
        protected ThingValidatorBase() => RuleFor(x => x.Name).MaximumLength(10);
    }

    /// <summary>Broken: not named ...Validator, and a validator only through its base class.</summary>
    internal sealed class IndirectThingRules : ThingValidatorBase;

    internal sealed class ThingInputValidator : AbstractValidator<ThingInput>
    {
        public ThingInputValidator() => RuleFor(x => x.Name).NotEmpty();
    }
}

namespace Loupe.Architecture.Tests.Samples.TypeRules.Requests
{
    /// <summary>Broken: named neither ...Command nor ...Query.</summary>
    [Authorize]
    public sealed record DoStuff : IRequest<int>;

    /// <summary>Broken: says nothing about who may send it.</summary>
    public sealed record RenameThingCommand(string Name) : IRequest;

    /// <summary>Broken: says both.</summary>
    [Authorize]
    [AllowAnonymous]
    public sealed record ArchiveThingCommand : IRequest;

    [AllowAnonymous]
    public sealed record PingQuery : IRequest<string>;

    [Authorize(MinimumRole = Loupe.Domain.Organizations.Role.Editor)]
    public sealed record DeleteThingCommand(Guid Id) : IRequest;
}

namespace Loupe.Architecture.Tests.Samples.TypeRules.Entities
{
    /// <summary>Broken: a public setter.</summary>
    public sealed class Gadget(Guid id) : Entity(id)
    {
        public string Name { get; set; } = string.Empty;
    }

    /// <summary>Broken: a public init, so any caller can skip the entity's checks when creating one.</summary>
    public sealed class Sprocket(Guid id) : Entity(id)
    {
        public string Colour { get; init; } = string.Empty;
    }

    /// <summary>Broken: a public writable field.</summary>
    public sealed class Cog(Guid id) : Entity(id)
    {
        [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1051", Justification = "The mutable field is the violation under test.")]
        public int Teeth;
    }

    public sealed class Widget : AggregateRoot
    {
        public Widget(Guid id, string name)
            : base(id) => Name = name;

        public string Name { get; private set; }

        public void Rename(string name) => Name = name;
    }
}

namespace Loupe.Architecture.Tests.Samples.TypeRules.Errors
{
    public static class WidgetErrors
    {
        public static readonly DomainError NameRequired = DomainError.Validation("widget.name_required", "name", "A name is required.");
    }

    /// <summary>Broken: an error catalogue that can be instantiated.</summary>
    public sealed class GadgetErrors
    {
        public static readonly DomainError Jammed = DomainError.Conflict("gadget.jammed", "The gadget is jammed.");
    }
}
