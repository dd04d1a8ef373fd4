'use strict';
// The exception classes of @workos-inc/node 8.13.0, with the same constructors and own fields,
// so `instanceof`, `err.status`, `err.requestID`… work as before. Which class a failure becomes,
// and with what arguments, is decided in Rust (src/errors.rs); `toError` only constructs it.

class ApiKeyRequiredException extends Error {
  status = 403;
  name = 'ApiKeyRequiredException';
  path;
  constructor(path) {
    super(
      `API key required for "${path}". For server-side apps, initialize with: new WorkOS("sk_..."). For browser/mobile/CLI apps, use authenticateWithCodeAndVerifier() and authenticateWithRefreshToken() which work without an API key.`,
    );
    this.path = path;
  }
}

class GenericServerException extends Error {
  name = 'GenericServerException';
  message = 'The request could not be completed.';
  constructor(status, message, rawData, requestID) {
    super();
    this.status = status;
    this.rawData = rawData;
    this.requestID = requestID;
    if (message) this.message = message;
  }
}

class BadRequestException extends Error {
  status = 400;
  name = 'BadRequestException';
  message = 'Bad request';
  code;
  errors;
  requestID;
  constructor({ code, errors, message, requestID }) {
    super();
    this.requestID = requestID;
    if (message) this.message = message;
    if (code) this.code = code;
    if (errors) this.errors = errors;
  }
}

class NoApiKeyProvidedException extends Error {
  status = 500;
  name = 'NoApiKeyProvidedException';
  message =
    'Missing API key. Pass it to the constructor (new WorkOS("sk_test_Sz3IQjepeSWaI4cMS4ms4sMuU")) or define it in the WORKOS_API_KEY environment variable.';
}

class NotFoundException extends Error {
  status = 404;
  name = 'NotFoundException';
  message;
  code;
  requestID;
  constructor({ code, message, path, requestID }) {
    super();
    this.code = code;
    this.message = message ?? `The requested path '${path}' could not be found.`;
    this.requestID = requestID;
  }
}

class OauthException extends Error {
  name = 'OauthException';
  constructor(status, requestID, error, errorDescription, rawData) {
    super();
    this.status = status;
    this.requestID = requestID;
    this.error = error;
    this.errorDescription = errorDescription;
    this.rawData = rawData;
    if (error && errorDescription) this.message = `Error: ${error}\nError Description: ${errorDescription}`;
    else if (error) this.message = `Error: ${error}`;
    else this.message = 'An error has occurred.';
  }
}

class RateLimitExceededException extends GenericServerException {
  name = 'RateLimitExceededException';
  constructor(message, requestID, retryAfter) {
    super(429, message, {}, requestID);
    this.retryAfter = retryAfter;
  }
}

class SignatureVerificationException extends Error {
  name = 'SignatureVerificationException';
  constructor(message) {
    super(message || 'Signature verification failed.');
  }
}

class UnauthorizedException extends Error {
  status = 401;
  name = 'UnauthorizedException';
  message;
  constructor(requestID) {
    super();
    this.requestID = requestID;
    this.message = 'Could not authorize the request. Maybe your API key is invalid?';
  }
}

class UnprocessableEntityException extends Error {
  status = 422;
  name = 'UnprocessableEntityException';
  message = 'Unprocessable entity';
  code;
  requestID;
  constructor({ code, errors, message, requestID }) {
    super();
    this.requestID = requestID;
    if (message) this.message = message;
    if (code) this.code = code;
    if (errors) {
      this.message = `The following ${errors.length === 1 ? 'requirement' : 'requirements'} must be met:\n`;
      for (const { code } of errors) this.message = this.message.concat(`\t${code}\n`);
    }
  }
}

// Not exported by 8.13.0 (so it could not be caught by class); exported here.
class ConflictException extends Error {
  status = 409;
  name = 'ConflictException';
  requestID;
  constructor({ error, message, requestID }) {
    super();
    this.requestID = requestID;
    if (message) this.message = message;
    else if (error) this.message = `Error: ${error}`;
    else this.message = 'An conflict has occurred on the server.';
  }
}

class ParseError extends Error {
  name = 'ParseError';
  status = 500;
  rawBody;
  rawStatus;
  requestID;
  constructor({ message, rawBody, rawStatus, requestID }) {
    super(message);
    this.rawBody = rawBody;
    this.rawStatus = rawStatus;
    this.requestID = requestID;
  }
}

const classes = {
  ApiKeyRequiredException,
  BadRequestException,
  ConflictException,
  GenericServerException,
  NoApiKeyProvidedException,
  NotFoundException,
  OauthException,
  ParseError,
  RateLimitExceededException,
  SignatureVerificationException,
  UnauthorizedException,
  UnprocessableEntityException,
};

/** JSON.parse's own message for a body that is not JSON (as the official SDK reports it). */
function jsonParseMessage(rawBody) {
  try {
    JSON.parse(rawBody);
    return 'Unexpected end of JSON input';
  } catch (e) {
    return e.message;
  }
}

/** Turns an error payload from the native layer into the error to throw. */
function toError(payload) {
  if (payload === null || typeof payload !== 'object' || payload instanceof Error || typeof payload.class !== 'string') {
    return payload;
  }
  if (payload.args) {
    const [first] = payload.args;
    if (payload.class === 'ParseError' && first.message === null) first.message = jsonParseMessage(first.rawBody);
    return new classes[payload.class](...payload.args);
  }
  const cause = payload.cause === undefined ? undefined : toError(payload.cause);
  const options = cause === undefined ? undefined : { cause };
  const message = payload.message ?? `Unexpected error: ParseError: ${cause?.message}`;
  return payload.class === 'TypeError' ? new TypeError(message, options) : new Error(message, options);
}

module.exports = { ...classes, toError };
