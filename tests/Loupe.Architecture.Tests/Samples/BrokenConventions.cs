// Deliberately broken (and a few well-formed) types. Each rule's test runs the rule over the
// types of one namespace here and checks it reports the broken ones and spares the good ones.
using FluentValidation;
using Loupe.Application.Common.Security;
using Loupe.Domain.Common;
using MediatR;

namespace Loupe.Architecture.Tests.Samples.Handlers
{
    public sealed record ThingQuery : IRequest<int>;

    public sealed record ThingHappened : INotification;

    /// <summary>Broken: public and not sealed.</summary>
    public class BadThingHandler : IRequestHandler<ThingQuery, int>
    {
        public Task<int> Handle(ThingQuery request, CancellationToken cancellationToken) => Task.FromResult(1);
    }

    /// <summary>Broken: not named ...Handler.</summary>
    internal sealed class ThingHappenedReaction : INotificationHandler<ThingHappened>
    {
        public Task Handle(ThingHappened notification, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    internal sealed class GoodThingHandler : IRequestHandler<ThingQuery, int>
    {
        public Task<int> Handle(ThingQuery request, CancellationToken cancellationToken) => Task.FromResult(2);
    }
}

namespace Loupe.Architecture.Tests.Samples.Requests
{
    /// <summary>Broken: named neither ...Command nor ...Query, and declares no access.</summary>
    public sealed record DoStuff : IRequest<int>;

    /// <summary>Broken: declares both.</summary>
    [Authorize]
    [AllowAnonymous]
    public sealed record ArchiveThingCommand : IRequest;

    [Authorize(MinimumRole = Loupe.Domain.Organizations.Role.Editor)]
    public sealed record RenameThingCommand(string Name) : IRequest;

    [AllowAnonymous]
    public sealed record PingQuery : IRequest<string>;
}

namespace Loupe.Architecture.Tests.Samples.Validators
{
    public sealed record ThingInput(string Name);

    /// <summary>Broken: public, not sealed, not named ...Validator.</summary>
    public class ThingInputRules : AbstractValidator<ThingInput>
    {
        public ThingInputRules() => RuleFor(x => x.Name).NotEmpty();
    }

    internal sealed class ThingInputValidator : AbstractValidator<ThingInput>
    {
        public ThingInputValidator() => RuleFor(x => x.Name).NotEmpty();
    }
}

namespace Loupe.Architecture.Tests.Samples.Domain
{
    /// <summary>Broken: not sealed, public setter, internal setter, public writable field.</summary>
    public class ThingRenamed : IDomainEvent
    {
        [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1051", Justification = "The mutable field is the violation under test.")]
        public string? PreviousName;

        public DateTimeOffset OccurredAt { get; set; }

        public string Name { get; internal set; } = string.Empty;
    }

    public sealed record ThingArchived(Guid ThingId, DateTimeOffset OccurredAt) : IDomainEvent;

    public sealed class ThingCreated : IDomainEvent
    {
        public required DateTimeOffset OccurredAt { get; init; }
    }

    /// <summary>Broken: a public setter and a public init, so any caller can skip the entity's checks.</summary>
    public sealed class Gadget : Entity
    {
        public Gadget(Guid id)
            : base(id)
        {
        }

        public string Name { get; set; } = string.Empty;

        public string Colour { get; init; } = string.Empty;
    }

    public sealed class Widget : Entity
    {
        public Widget(Guid id, string name)
            : base(id) => Name = name;

        public string Name { get; private set; }

        public void Rename(string name) => Name = name;
    }
}
