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
        | problem                                | error                  |
        | a body that is not valid JSON          | malformed_json         |
        | no body at all                         | missing_body           |
        | a list instead of an object            | validation_failed      |
        | a number as the email address          | validation_failed      |
        | no email address                       | validation_failed      |
        | something that is not an address       | validation_failed      |
        | an address holding a control character | validation_failed      |
        | a field the portal does not know       | validation_failed      |
        | a return path of 3000 characters       | validation_failed      |
        | a body of 100 kilobytes                | payload_too_large      |
        | a body sent as plain text              | unsupported_media_type |

    @negative
    Scenario Outline: Wrong fields are named in the error
      When an integration asks for a sign-in link with <problem>
      Then the error names the field "<field>"

      Examples:
        | problem                          | field |
        | a number as the email address    | email |
        | no email address                 | email |
        | a field the portal does not know | color |

    @negative
    Scenario Outline: A share link request with <problem> is rejected, naming the field "<field>"
      Given Theo is signed in, with a cut to share
      When Theo asks for a share link with <problem>
      Then the portal rejects the request as "validation_failed", in the standard error shape
      And the error names the field "<field>"
      And no share link was made

      Examples:
        | problem                          | field            |
        | an expiry of 0 hours             | expires_in_hours |
        | an expiry of 31 days             | expires_in_hours |
        | an expiry that is not a number   | expires_in_hours |
        | the permission "edit"            | permission       |
        | a password of 129 characters     | password         |
        | a password of 7 characters       | password         |
        | a field the portal does not know | color            |
        | a cut id that is not a number    | asset_id         |
        | a cut id beyond any real id      | asset_id         |
        | a cut id of zero                 | asset_id         |

    @negative
    Scenario Outline: An address with a malformed id is rejected, naming the id: <request>
      Given Theo is signed in, with a cut to share
      When Theo sends <request>
      Then the portal rejects the request as "validation_failed", in the standard error shape
      And the error names the field "<field>"

      Examples:
        | request                                      | field      |
        | a request for the project "12ab"             | project_id |
        | a request for the cut "99999999999999999999" | asset_id   |
        | a request to revoke the share link "-1"      | link_id    |
        | a request to rotate the share link "1.5"     | link_id    |

    @negative
    Scenario Outline: An email administration request with a malformed value is rejected, naming it: <request> "<value>"
      Given Ada is signed in
      When Ada sends a request <request> "<value>"
      Then the portal rejects the request as "validation_failed", in the standard error shape
      And the error names the field "<field>"

      Examples:
        | request                       | value               | field          |
        | to lift the suppression       | 0                   | suppression_id |
        | to lift the suppression       | -1                  | suppression_id |
        | to lift the suppression       | 9223372036854775808 | suppression_id |
        | for the emails to the address | a%00b               | recipient      |
        | for the emails to the address | a%0Ab               | recipient      |

    @negative
    Scenario Outline: An email id spelled another way finds nothing: <request> "<value>"
      Given Ada is signed in
      When Ada sends a request <request> "<value>"
      Then the portal answers Ada as if the email did not exist

      Examples:
        | request                 | value                                         |
        | for the email           | urn:uuid:8e9f2a2c-5d0b-4c59-9b1e-6f3f1f6f2a10 |
        | for the email           | {8e9f2a2c-5d0b-4c59-9b1e-6f3f1f6f2a10}        |
        | to send again the email | urn:uuid:8e9f2a2c-5d0b-4c59-9b1e-6f3f1f6f2a10 |
        | to send again the email | 8e9f2a2c5d0b4c599b1e6f3f1f6f2a10              |

  Rule: Every answer carries a request id that support can trace

    @local
    Scenario: A rejected request can be traced by its request id
      When an integration asks for a sign-in link with a body that is not valid JSON
      Then the answer carries a request id
      And the portal's log shows that request under the same id, without the request's secrets
