@allure.label.epic:API
Feature: Every answer carries the portal's safeguards, whichever layer gave it
  Some answers come from the portal's handlers, others from the layers in front of them: a body
  too large or of the wrong kind, a method or an address the portal does not have. Each answer,
  from every layer, carries a request id support can trace, the security headers, tells caches
  not to keep it and does not name the server software a prober would look up.

  Background:
    Given Ada is signed in

  Rule: Every answer carries a request id and the security headers, tells caches not to keep it, and names no server

    @negative @security
    Scenario Outline: <answer> carries the safeguards
      When Ada gets <answer>
      Then the answer is the one expected of it
      And the answer carries a request id
      And the answer carries the security headers, tells caches not to keep it and names no server software

      Examples: Answers refused before any handler reads the request
        | answer                                         |
        | a body too large for the portal                |
        | a body too large, sent without saying its size |
        | a body sent as plain text                      |
        | a body that is not valid JSON                  |
        | a request that cannot be read as HTTP          |
        | a request without a Host header                |
        | a request with two Host headers                |
        | a method the address does not accept           |
        | an address that does not exist                 |

      Examples: Answers from the portal's handlers
        | answer                                                     |
        | the profile of the signed-in person                        |
        | the list of projects                                       |
        | the list of projects, asked with a body too large attached |
        | the list of emails, for a studio admin                     |
        | the list of scheduled tasks, for a studio admin            |
        | the liveness check                                         |
        | a share page for a key that does not exist                 |
        | the home page                                              |

  Rule: Asking only for the headers works wherever reading works

    Scenario Outline: Asking only for the headers of <answer> gets what reading it gets, without the body
      When Ada asks only for the headers of <answer>
      Then she gets the status and headers of reading it, and no body

      Examples:
        | answer                                 |
        | the profile of the signed-in person    |
        | the list of projects                   |
        | the list of emails, for a studio admin |
        | the liveness check                     |

  Rule: A refused method is told every method its address accepts

    @negative
    Scenario: Replacing the whole list of projects is refused, naming what the address accepts
      When Ada gets a method the address does not accept
      Then the portal answers that the address accepts only "GET, HEAD, POST"

  Rule: The portal never builds an address from the host a caller claims

    @negative @security
    Scenario Outline: An address with a trailing slash is not redirected to the host the caller names: <address>
      When Ada asks for <address> with a trailing slash, naming the host "evil.example"
      Then the portal sends nobody to "evil.example"

      Examples:
        | address              |
        | the liveness check   |
        | the list of projects |
        | a share page         |

  Rule: The portal serves no page its own security policy would break

    @negative
    Scenario: There is no interactive API documentation page
      When Ada gets the interactive API documentation page
      Then the answer is the one expected of it
      And the error is "not_found"

  Rule: The API description shows the studio's administration to studio admins only, as its addresses do

    @negative @security
    Scenario Outline: <who>, <role>, reading the API description: it <lists> the studio's administration
      When <who> reads the portal's API description
      Then it <lists> the studio's administration

      Examples:
        | who  | role                       | lists         |
        | Ada  | a studio admin             | lists         |
        | Lena | an admin at another agency | does not list |
        | Theo | an agency producer         | does not list |
        | Gina | a guest                    | does not list |
        | Uma  | a visitor                  | does not list |

  Rule: The API description the portal serves is the one published for integrators, every status, header and field as agreed

    @allure.severity:critical
    Scenario: Ada reads the API description: it is the published one, operation by operation
      When Ada reads the portal's API description
      Then it is the description published for integrators, operation by operation
