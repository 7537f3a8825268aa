using Loupe.Domain.Organizations;
using Loupe.Domain.Users;

namespace Loupe.Domain.Tests.Users;

internal static class UserTestData
{
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    public static User Register(Role role = Role.Editor, string name = "Jane Doe") =>
        User.Register(
            Guid.CreateVersion7(),
            Guid.CreateVersion7(),
            EmailAddress.Parse("jane@example.com"),
            name,
            "$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA",
            role,
            isInstanceAdmin: false,
            Now);
}
