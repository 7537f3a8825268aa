using FluentValidation;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.ApiKeys;
using Loupe.Domain.Audit;
using Loupe.Domain.Organizations;
using MediatR;

namespace Loupe.Application.ApiKeys.Commands.CreateApiKey;

/// <summary>Creates an API key acting for its creator with a role no higher than theirs. The secret is in this answer only.</summary>
[Authorize(SignedInOnly = true)]
public sealed record CreateApiKeyCommand(string? Name, Role? Role) : IRequest<CreatedApiKeyDto>;

public sealed record CreatedApiKeyDto(Guid Id, string Name, Role Role, string Prefix, string Secret, DateTimeOffset CreatedAt);

internal sealed class CreateApiKeyCommandValidator : AbstractValidator<CreateApiKeyCommand>
{
    public CreateApiKeyCommandValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(ApiKey.NameMaxLength);
        RuleFor(c => c.Role).NotNull().IsInEnum();
    }
}

internal sealed class CreateApiKeyCommandHandler(
    ICurrentUser currentUser,
    ITenantScope tenant,
    IRepository<ApiKey> apiKeys,
    IOpaqueTokens opaqueTokens,
    IAuditTrail audit,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IRequestHandler<CreateApiKeyCommand, CreatedApiKeyDto>
{
    public const string SecretPrefix = "lp_ak";

    public async Task<CreatedApiKeyDto> Handle(CreateApiKeyCommand request, CancellationToken cancellationToken)
    {
        if (currentUser.SessionId is null)
        {
            throw new ForbiddenException("API keys are created by people signed in, not by other API keys.");
        }

        var secret = opaqueTokens.Create(SecretPrefix);
        var key = ApiKey.Create(
            Guid.CreateVersion7(),
            tenant.RequiredOrganizationId(),
            currentUser.UserId!.Value,
            currentUser.Role!.Value,
            request.Name!,
            request.Role!.Value,
            secret.Value,
            secret.Hash,
            clock.GetUtcNow());
        apiKeys.Add(key);
        audit.Record(
            AuditActions.ApiKeyCreated,
            new AuditTarget("api_key", key.Id),
            details: new Dictionary<string, string>(StringComparer.Ordinal) { [AuditDetails.Name] = key.Name, [AuditDetails.Role] = AuditDetails.NameOf(key.Role) });
        await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return new CreatedApiKeyDto(key.Id, key.Name, key.Role, key.Prefix, secret.Value, key.CreatedAt);
    }
}
