using Microsoft.AspNetCore.Http;
using Webhooks.Model;
using Webhooks.Storage;

namespace Webhooks.Api;

/// <summary>The API's response shapes: JSON bodies with the API's serializer, ETags, and problem details.</summary>
public static class ApiResults
{
    public static IResult Json(object body, int status = StatusCodes.Status200OK, string? etag = null, string? location = null) =>
        new WithHeaders(Results.Json(body, ApiJson.Options, statusCode: status), etag, location);

    public static IResult NoContent() => Results.NoContent();

    public static IResult Validation(IReadOnlyDictionary<string, string[]> errors) =>
        Results.ValidationProblem(errors.ToDictionary(), title: "The request is invalid.", detail: "See errors for each field at fault.");

    public static IResult NotFound(string what) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"{what} does not exist.");

    public static IResult PreconditionFailed(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "Precondition failed", detail: detail + " Read it again and retry with the new ETag.");

    /// <summary>503 with Retry-After in whole seconds: the request may succeed if sent again then.</summary>
    public static IResult Busy(BusyException e) =>
        new WithHeaders(Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Busy", detail: e.Message), etag: null, location: null, e.RetryAfter);

    public static IResult Unauthorized() =>
        Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: $"Send a valid API key in the {ApiOptions.KeyHeader} header.");

    public static IResult Problem(ApiProblemException e) =>
        new WithHeaders(Results.Problem(statusCode: e.Status, title: e.Title, detail: e.Message), etag: null, location: null, e.RetryAfter);

    /// <summary>
    /// Runs a handler and answers its expected failures as problems, so both hosts map them the
    /// same way.
    /// </summary>
    public static async Task<IResult> Guard(Func<Task<IResult>> handler)
    {
        try
        {
            return await handler();
        }
        catch (ValidationException e)
        {
            return Validation(e.Errors);
        }
        catch (ConcurrencyConflictException e)
        {
            return PreconditionFailed(e.Message);
        }
        catch (BusyException e)
        {
            return Busy(e);
        }
        catch (ApiProblemException e)
        {
            return Problem(e);
        }
        catch (ConflictException e)
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: e.Title, detail: e.Message);
        }
    }

    private sealed class WithHeaders(IResult inner, string? etag, string? location, TimeSpan? retryAfter = null) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            if (retryAfter is { } wait)
            {
                // Whole seconds, rounded up, and never 0 (which would invite an immediate retry).
                httpContext.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            if (etag is not null)
            {
                httpContext.Response.Headers.ETag = etag;
            }
            if (location is not null)
            {
                httpContext.Response.Headers.Location = location;
            }
            return inner.ExecuteAsync(httpContext);
        }
    }
}
