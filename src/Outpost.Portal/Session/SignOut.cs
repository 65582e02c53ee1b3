using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Outpost.Portal.Session;

/// <summary><c>POST /signout</c>: forgets the session's cookie. The cookie is SameSite=Strict, so no other site can sign a user out.</summary>
internal static class SignOut
{
    public static async Task<IResult> Handle(HttpContext context)
    {
        await context.SignOutAsync(PortalAuthentication.Scheme);
        return Results.Redirect("/signin");
    }
}
