@allure.label.epic:API
Feature: Clear answers to bad requests
  Integrations and the portal's own pages send requests to its API. When a request is wrong,
  the portal says precisely what is wrong, in one documented shape, changes nothing, and
  never answers with a server error. The error names below are part of the API contract.

  Rule: A bad request gets a specific error in the standard shape and changes nothing

    @negative @local
    Scenario Outline: A sign-in link request with <problem> is rejected as <error>
      When an integration asks for a sign-in link with <problem>
      Then the portal rejects the request as "<error>", in the standard error shape
      And the request left no trace in the portal

      Examples:
        | problem                              | error                  |
        | a body that is not valid JSON        | malformed_json         |
        | no body at all                       | missing_body           |
        | a list instead of an object          | validation_failed      |
        | a number as the email address        | validation_failed      |
        | no email address                     | validation_failed      |
        | something that is not an address     | validation_failed      |
        | a field the portal does not know     | validation_failed      |
        | a return path of 3000 characters     | validation_failed      |
        | a body of 100 kilobytes              | payload_too_large      |
        | a body sent as plain text            | unsupported_media_type |

    @negative
    Scenario Outline: Wrong fields are named in the error
      When an integration asks for a sign-in link with <problem>
      Then the error names the field "<field>"

      Examples:
        | problem                          | field |
        | a number as the email address    | email |
        | no email address                 | email |
        | a field the portal does not know | color |

  Rule: Every answer carries a request id that support can trace

    @local
    Scenario: A rejected request can be traced by its request id
      When an integration asks for a sign-in link with a body that is not valid JSON
      Then the answer carries a request id
      And the portal's log shows that request under the same id, without the request's secrets
