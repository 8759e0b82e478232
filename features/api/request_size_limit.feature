@allure.label.epic:API
Feature: The size limit on request bodies
  The portal reads a request body up to a limit, 64 kilobytes unless the studio configures another
  (PORTAL_MAX_BODY_BYTES), and refuses a larger one as "payload_too_large" before reading further:
  whether the sender states the body's length up front or sends it in pieces without one. A body
  of exactly the limit is still read.

  Rule: A body of exactly the limit is read; one byte more is refused, however it is sent

    @local
    Scenario Outline: A link request of exactly the limit, with <how>, is read
      When an integration asks for a sign-in link with a body of exactly the limit, <how>
      Then the portal accepts the link request

      Examples:
        | how                               |
        | its length declared               |
        | sent in pieces without its length |

    @negative @local
    Scenario Outline: A link request one byte over the limit, with <how>, is refused as too large
      When an integration asks for a sign-in link with a body of one byte over the limit, <how>
      Then the portal rejects the request as "payload_too_large", in the standard error shape
      And the answer carries a request id
      And the request left no trace in the portal

      Examples:
        | how                               |
        | its length declared               |
        | sent in pieces without its length |
