using Loupe.Domain.Common;

namespace Loupe.Domain.Organizations;

public sealed record OrganizationCreated(Guid OrganizationId, string Name, DateTimeOffset OccurredAt) : IDomainEvent;
