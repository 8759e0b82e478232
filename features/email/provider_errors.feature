@allure.label.epic:Email @fakes
Feature: What the portal does with each answer Resend can give
  Resend, the email provider, documents every error it can answer with. Each means something
  different for the email that met it: a passing trouble (Resend down for a moment, too many
  requests, the same email still being handled) is tried again on the retry schedule; an email
  Resend refuses for what it is becomes a dead letter at once, since trying again cannot help;
  and when Resend would refuse every email alike (the sending quota is used up, or it refuses
  the portal's own settings), the portal holds the whole outbox instead of spending every
  email's retries, tries again when the hold ends, and tells studio admins. The portal never
  loses an email to any of these answers.

  Background:
    Given Ada is signed in
    And Theo has an active portal account

  Rule: A passing trouble at Resend is tried again on the schedule, and the email arrives

    @negative
    Scenario Outline: Resend answers with <trouble>: the email is tried again a minute later and arrives
      Given the email provider has answered Theo's sign-in email with "<answer>"
      Then Theo's sign-in email waits 1 minute for its next attempt
      When the next delivery attempt falls due
      Then Theo receives a sign-in email

      Examples:
        | trouble                                        | answer                         |
        | an unexpected error of its own                 | application_error              |
        | an internal server error                       | internal_server_error          |
        | a page from a proxy in front of it, not JSON   | a proxy's 502 page             |
        | the same email still being handled             | concurrent_idempotent_requests |
        | too many requests for its rate limit           | rate_limit_exceeded            |

  Rule: An email Resend refuses for what it is becomes a dead letter at once, with Resend's reason

    @negative
    Scenario Outline: Resend refuses the email as <why>: it is not tried again
      Given the email provider has answered Theo's sign-in email with "<answer>"
      And the last attempt was 60 minutes ago
      When the portal works through its outbox
      Then the provider is not asked again
      And Ada finds Theo's sign-in email among the dead letters, with the provider's reason

      Examples:
        | why                                                | answer                     |
        | a request with a field in error                    | validation_error           |
        | carrying an idempotency key it does not accept     | invalid_idempotency_key    |
        | reusing an idempotency key for another email       | invalid_idempotent_request |
        | missing a field it requires                        | missing_required_field     |
        | a security risk                                    | security_error             |

  Rule: When Resend's sending quota is used up, the outbox is held and tried again an hour later; no email is spent or lost

    @negative @allure.severity:critical
    Scenario Outline: The <quota> quota is used up: an hour later, not a moment before, the email is tried again
      Given the email provider has answered Theo's sign-in email with "<answer>"
      And the last attempt was <elapsed> ago
      When the portal works through its outbox
      Then <outcome>

      Examples:
        | quota   | answer                 | elapsed               | outcome                                          |
        | daily   | daily_quota_exceeded   | 59 minutes 50 seconds | the provider is not asked again yet              |
        | daily   | daily_quota_exceeded   | 60 minutes            | the provider is asked to deliver the email again |
        | monthly | monthly_quota_exceeded | 59 minutes 50 seconds | the provider is not asked again yet              |
        | monthly | monthly_quota_exceeded | 60 minutes            | the provider is asked to deliver the email again |

    @negative @allure.severity:critical
    Scenario: Refused for the quota seven times, more than its six attempts, the email spends none of them and is no dead letter
      Given the email provider has answered Theo's sign-in email with "daily_quota_exceeded" 7 times
      Then Ada sees Theo's sign-in email as "queued"
      And Theo's sign-in email has spent none of its attempts

    @negative
    Scenario: While the outbox is held, no other email is sent either
      Given the email provider has answered Theo's sign-in email with "daily_quota_exceeded"
      When a share notification for Gina is written to the outbox
      And the portal works through its outbox
      Then the provider is not asked for the share notification to Gina

    @negative @allure.severity:critical
    Scenario: When the quota has reset, the held email goes out, then the ones that waited with it
      Given the email provider has answered Theo's sign-in email with "daily_quota_exceeded"
      And a share notification for Gina is waiting in the outbox too
      And the last attempt was 60 minutes ago
      When the portal works through its outbox
      Then Theo receives a sign-in email
      And Gina receives the share notification that waited with it
      And Ada sees email delivery as sending

    @negative
    Scenario: Ada is told once about the quota, however often Resend refuses
      Given the email provider has answered Theo's sign-in email with "daily_quota_exceeded" 3 times
      Then Ada sees email delivery held because Resend answered "daily_quota_exceeded", 3 times since the first
      And studio admins were told once that delivery is held
      And Ada sees in Theo's sign-in email's timeline that it was held because Resend's sending quota is used up

    @negative
    Scenario: The readiness check shows that the quota holds delivery
      Given the email provider has answered Theo's sign-in email with "monthly_quota_exceeded"
      When the platform checks whether the portal is ready
      Then the portal reports itself degraded, with the database up and the email provider quota exceeded

  Rule: When Resend refuses the portal's own settings, the outbox is held, studio admins see why, and delivery resumes once Resend accepts again

    @negative @allure.severity:critical
    Scenario Outline: Resend refuses <what>: the email is not a dead letter, and Ada sees why delivery is held
      Given the email provider has answered Theo's sign-in email with "<answer>"
      Then Ada sees email delivery held because Resend answered "<reason>", 1 time since the first
      And Ada sees Theo's sign-in email as "queued"
      And Ada sees in Theo's sign-in email's timeline that it was held because Resend refuses the portal's email settings

      Examples:
        | what                                          | answer                 | reason                 |
        | the request for want of an API key            | missing_api_key        | missing_api_key        |
        | an API key that may not send                  | restricted_api_key     | restricted_api_key     |
        | an API key it does not know                   | invalid_api_key        | invalid_api_key        |
        | a sending domain that is not verified         | an unverified domain   | validation_error       |
        | the sender address the portal sends from      | invalid_from_address   | invalid_from_address   |

    @negative
    Scenario Outline: A refused setting is looked at again after 15 minutes, not a moment before: <elapsed> later, <outcome>
      Given the email provider has answered Theo's sign-in email with "invalid_api_key"
      And the last attempt was <elapsed> ago
      When the portal works through its outbox
      Then <outcome>

      Examples:
        | elapsed               | outcome                                          |
        | 14 minutes 50 seconds | the provider is not asked again yet              |
        | 15 minutes            | the provider is asked to deliver the email again |

    @negative
    Scenario: Once the settings are put right, the held email goes out and delivery resumes
      Given the email provider has answered Theo's sign-in email with "restricted_api_key"
      And the last attempt was 15 minutes ago
      When the portal works through its outbox
      Then Theo receives a sign-in email
      And Ada sees email delivery as sending

    @negative
    Scenario: The readiness check shows that Resend refuses the portal's settings
      Given the email provider has answered Theo's sign-in email with "invalid_api_key"
      When the platform checks whether the portal is ready
      Then the portal reports itself degraded, with the database up and the email provider refused

  Rule: Only studio admins see the state of email delivery

    @negative @security
    Scenario Outline: <who> cannot see the state of email delivery
      Given the email provider has answered Theo's sign-in email with "daily_quota_exceeded"
      When <who> looks at the state of email delivery
      Then the portal answers <who> as if the state of email delivery did not exist

      Examples:
        | who     |
        | Theo    |
        | Mallory |
        | Bea     |
